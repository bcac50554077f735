import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { savedQueryName } from '../naming';
import { auditQueries, type AuditQuery } from './audit/queries';

export interface AuditQueriesProps {
  readonly clusterName: string;
  /** Name of the control-plane log group the audit queries run over. */
  readonly controlPlaneLogGroupName: string;
  /**
   * Log group of the account's CloudTrail trail, for the access-entry query.
   * @default - the access-entry query is not created
   */
  readonly cloudTrailLogGroupName?: string;
}

/**
 * Saved Logs Insights queries for investigations, in the console folder `<cluster>/security/`
 * (control EKS-DET-011).
 */
export class AuditQueries extends Construct {
  public readonly queries: readonly AuditQuery[];

  constructor(scope: Construct, id: string, props: AuditQueriesProps) {
    super(scope, id);
    this.queries = auditQueries({
      clusterName: props.clusterName,
      cloudTrailLogGroupName: props.cloudTrailLogGroupName,
    });
    for (const q of this.queries) {
      const logGroupName =
        q.source === 'cloudTrail' ? props.cloudTrailLogGroupName! : props.controlPlaneLogGroupName;
      new logs.CfnQueryDefinition(this, q.id, {
        name: savedQueryName(props.clusterName, q.id),
        queryString: q.queryString,
        logGroupNames: [logGroupName],
      });
    }
  }
}
