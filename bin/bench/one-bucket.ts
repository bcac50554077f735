/**
 * The reference app of `npm run bench`: one S3 bucket in one stack, run by the same CLI command as the
 * blueprint (`npx tsx <entry>`, context from CDK_CONTEXT_JSON, output to CDK_OUTDIR) so the difference is
 * what the blueprint itself costs.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';

const app = new App();
const stack = new Stack(app, 'OneBucket', { env: { account: '111111111111', region: 'us-east-1' } });
new s3.Bucket(stack, 'Bucket');
app.synth();
