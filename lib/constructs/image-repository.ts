import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { BlueprintValidationError } from './private/errors';

/** What pulling an image takes; the only actions the nodes get. */
export const ECR_PULL_ACTIONS = [
  'ecr:BatchCheckLayerAvailability',
  'ecr:BatchGetImage',
  'ecr:GetDownloadUrlForLayer',
] as const;

export interface ImageRepositoryProps {
  /** Full repository name, e.g. `acme-prod/apps`. */
  readonly repositoryName: string;
  /** Key the images are encrypted with. */
  readonly encryptionKey: kms.IKey;
  /** The cluster's node role: the only principal the repository policy lets pull. */
  readonly nodeRole: iam.IRole;
  /**
   * Days after which untagged images (left behind by re-pushes and failed builds) expire.
   * @default 14
   */
  readonly untaggedExpiryDays?: number;
  /**
   * Images kept; older ones expire first.
   * @default 200
   */
  readonly maxImageCount?: number;
}

/**
 * An ECR repository for the org's images: scan on push, immutable tags, KMS encryption, lifecycle rules,
 * and a policy that lets only the cluster's nodes pull (controls EKS-IMG-001 to EKS-IMG-004). Pushing is
 * left to IAM (the CI role's own policy); the repository is retained when the stack is deleted.
 */
export class ImageRepository extends Construct {
  public readonly repository: ecr.Repository;

  constructor(scope: Construct, id: string, props: ImageRepositoryProps) {
    super(scope, id);
    const untaggedExpiryDays = props.untaggedExpiryDays ?? 14;
    const maxImageCount = props.maxImageCount ?? 200;
    if (untaggedExpiryDays < 1 || maxImageCount < 1) {
      throw new BlueprintValidationError(
        'ImageLifecycleOutOfRange',
        `untaggedExpiryDays (${untaggedExpiryDays}) and maxImageCount (${maxImageCount}) must be at least 1`,
        this,
      );
    }
    this.repository = new ecr.Repository(this, 'Repository', {
      repositoryName: props.repositoryName,
      imageScanOnPush: true,
      imageTagMutability: ecr.TagMutability.IMMUTABLE,
      encryption: ecr.RepositoryEncryption.KMS,
      encryptionKey: props.encryptionKey,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        {
          rulePriority: 1,
          description: `Expire untagged images after ${untaggedExpiryDays} days`,
          tagStatus: ecr.TagStatus.UNTAGGED,
          maxImageAge: Duration.days(untaggedExpiryDays),
        },
        {
          rulePriority: 2,
          description: `Keep the ${maxImageCount} most recent images`,
          tagStatus: ecr.TagStatus.ANY,
          maxImageCount,
        },
      ],
    });
    this.repository.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'ClusterNodesPull',
        principals: [new iam.ArnPrincipal(props.nodeRole.roleArn)],
        actions: [...ECR_PULL_ACTIONS],
      }),
    );
    // IAM policies elsewhere in the account (ecr:* for admins) would otherwise allow pulls too.
    this.repository.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'NobodyElsePulls',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: [...ECR_PULL_ACTIONS],
        conditions: {
          ArnNotEquals: { 'aws:PrincipalArn': props.nodeRole.roleArn },
          // ECR's own scanning and replication act as the service, not as a principal of the account.
          Bool: { 'aws:PrincipalIsAWSService': 'false' },
        },
      }),
    );
  }
}
