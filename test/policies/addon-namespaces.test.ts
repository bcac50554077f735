import { AdmissionEvaluator, requestFor, type KubeObject, type UserInfo } from '../../lib/admission';
import { resolveConfig } from '../../lib/config';
import { admissionPolicies } from '../../policies';
import { testContext } from '../helpers';

/** EKS's add-on manager, as the API server presents it (EKS User Guide; aws-facts.md). */
const ADDON_MANAGER: UserInfo = { username: 'eks:addon-manager', groups: ['system:authenticated'] };
const ADMIN: UserInfo = { username: 'alice', groups: ['platform:admins', 'system:authenticated'] };

const ns = (name: string, labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, labels },
});

/** The shipped config's policies: GuardDuty off, so the blueprint neither creates nor labels amazon-guardduty. */
const evaluator = AdmissionEvaluator.compile(
  admissionPolicies(resolveConfig(testContext()).environments[0].admission),
);
const decide = (object: KubeObject, userInfo: UserInfo, operation: 'CREATE' | 'UPDATE' = 'CREATE') =>
  evaluator.evaluate(
    requestFor(object, { userInfo, operation, oldObject: operation === 'UPDATE' ? object : undefined }),
  );

describe('policies | AWS add-on namespaces', () => {
  test('EKS-ADM-001: the add-on manager may create the GuardDuty namespace unlabelled (org-enabled agent, mode off)', () => {
    expect(decide(ns('amazon-guardduty'), ADDON_MANAGER).denials).toEqual([]);
    expect(decide(ns('amazon-guardduty'), ADDON_MANAGER, 'UPDATE').denials).toEqual([]);
    expect(decide(ns('amazon-cloudwatch'), ADDON_MANAGER).denials).toEqual([]);
  });

  test('EKS-ADM-001: anyone else creating an add-on namespace is held to the labels rule', () => {
    const d = decide(ns('amazon-guardduty'), ADMIN);
    expect(d.allowed).toBe(false);
    expect(d.denials.map((v) => v.policy)).toEqual(['namespace-pod-security']);
    // Labelled privileged without the add-on enabled: no exception, denied.
    const priv = decide(
      ns('amazon-guardduty', { 'pod-security.kubernetes.io/enforce': 'privileged' }),
      ADMIN,
    );
    expect(priv.allowed).toBe(false);
  });

  test('EKS-ADM-001: the add-on manager gets no pass for any other namespace', () => {
    expect(decide(ns('team-z'), ADDON_MANAGER).allowed).toBe(false);
    expect(decide(ns('kube-bench-2'), ADDON_MANAGER).allowed).toBe(false);
  });

  test('the GuardDuty agent the add-on manager installs is not blocked by the workload policies', () => {
    const agent: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'aws-guardduty-agent', namespace: 'amazon-guardduty' },
      spec: {
        template: {
          spec: {
            hostPID: true,
            containers: [
              {
                name: 'agent',
                image: '602401143452.dkr.ecr.us-east-1.amazonaws.com/aws-guardduty-agent:v1.10.0',
                securityContext: { privileged: true },
              },
            ],
          },
        },
      },
    };
    expect(decide(agent, ADDON_MANAGER).denials).toEqual([]);
    // The same DaemonSet in a tenant namespace is denied: the exemption is the namespace's, not the pod's.
    const inTenant = { ...agent, metadata: { ...agent.metadata, namespace: 'team-a' } };
    expect(decide(inTenant, ADDON_MANAGER).allowed).toBe(false);
  });
});
