import * as fs from 'fs';
import * as path from 'path';
import {
  configuredEnvironments,
  diffSnapshot,
  normalizeTemplate,
  readSnapshot,
  SNAPSHOT_DIR,
  synthesizeSnapshot,
} from '../../lib/snapshots';

/*
 * The fork's snapshot tests: each environment with a folder under org/snapshots/ must synthesize to exactly
 * what is there (`npm run snapshot` writes them, `-- --update` accepts a change). This is the one suite that
 * reads the root cdk.json, because it tests the fork's own environments; without org/snapshots (upstream,
 * a new fork) it reads nothing and is skipped with a notice.
 */
const root = path.join(__dirname, '..', '..');
const source = { cdkJson: path.join(root, 'cdk.json'), orgDir: path.join(root, 'org') };
const snapshots = path.join(source.orgDir, SNAPSHOT_DIR);
const folders = fs.existsSync(snapshots)
  ? fs.readdirSync(snapshots).filter((d) => fs.statSync(path.join(snapshots, d)).isDirectory())
  : [];
const environments = folders.length > 0 ? configuredEnvironments(source) : [];

describe('fork snapshots |', () => {
  if (folders.length === 0) {
    console.log(
      'org/snapshots/ does not exist: no fork snapshot tests (start them with `npm run snapshot`).',
    );
    test.skip('no org/snapshots', () => undefined);
    return;
  }
  for (const env of environments.filter((e) => !folders.includes(e)))
    console.log(`org/snapshots/${env}/ does not exist: environment ${env} is not snapshot-tested.`);

  test.each(environments.filter((e) => folders.includes(e)))('org/snapshots/%s matches synthesis', (env) => {
    const diff = diffSnapshot(readSnapshot(path.join(snapshots, env)), synthesizeSnapshot(source, env));
    if (diff.length > 0)
      throw new Error(
        [
          `synthesis of ${env} differs from org/snapshots/${env}/:`,
          ...diff,
          'Review the change; accept it with: npm run snapshot -- --update',
        ].join('\n'),
      );
  });

  test('every snapshot folder belongs to an environment of cdk.json', () => {
    expect(folders.filter((f) => !environments.includes(f))).toEqual([]);
  });
});

describe('snapshot normalization and diff |', () => {
  test('asset hashes, the bootstrap version, CDK metadata and CDK handler runtimes are normalized away', () => {
    const hash = 'a'.repeat(64);
    const template = {
      Parameters: {
        BootstrapVersion: { Type: 'AWS::SSM::Parameter::Value<String>' },
        Other: { Type: 'String' },
      },
      Rules: { CheckBootstrapVersion: {} },
      Conditions: { CDKMetadataAvailable: {} },
      Resources: {
        Meta: { Type: 'AWS::CDK::Metadata', Properties: { Analytics: 'v2:deflate64:xyz' } },
        Handler: {
          Type: 'AWS::Lambda::Function',
          Properties: { Runtime: 'nodejs22.x', Code: { S3Bucket: 'cdk-assets', S3Key: `${hash}.zip` } },
        },
        Own: { Type: 'AWS::Lambda::Function', Properties: { Runtime: 'python3.13', Code: { ZipFile: 'x' } } },
      },
    };
    expect(normalizeTemplate(template)).toEqual({
      Parameters: { Other: { Type: 'String' } },
      Resources: {
        Handler: {
          Type: 'AWS::Lambda::Function',
          Properties: {
            Runtime: '<cdk-runtime>',
            Code: { S3Bucket: 'cdk-assets', S3Key: '<asset-hash>.zip' },
          },
        },
        Own: { Type: 'AWS::Lambda::Function', Properties: { Runtime: 'python3.13', Code: { ZipFile: 'x' } } },
      },
    });
  });

  test('the diff names added, removed and changed files and shows changed lines in context', () => {
    const before = { 'a.yaml': 'kind: A\nspec:\n  replicas: 2\n  image: x\nend: 1\n', 'gone.yaml': 'x\n' };
    const after = { 'a.yaml': 'kind: A\nspec:\n  replicas: 3\n  image: x\nend: 1\n', 'new.yaml': 'y\n' };
    expect(diffSnapshot(before, after)).toEqual([
      '~ a.yaml',
      '  @@ line 3',
      '    kind: A',
      '    spec:',
      '  -   replicas: 2',
      '  +   replicas: 3',
      '      image: x',
      '    end: 1',
      '- gone.yaml (gone: the snapshot has it, synthesis does not)',
      '+ new.yaml (new: synthesis has it, the snapshot does not)',
    ]);
    expect(diffSnapshot(after, after)).toEqual([]);
  });
});
