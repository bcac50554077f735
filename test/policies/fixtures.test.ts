import { fixtureCases, expectFixture } from './helpers';

/*
 * Every policy's fixtures: each pass case admitted, each fail case denied with the expected message
 * (`# expect:` in the file). One test per fixture, titled with the control the policy enforces.
 */
const namespacePodSecurity = fixtureCases('namespace-pod-security');
const podSecurity = fixtureCases('pod-security');
const allowedRegistries = fixtureCases('allowed-registries');
const imagePinning = fixtureCases('image-pinning');
const containerResources = fixtureCases('container-resources');
const requiredLabels = fixtureCases('required-labels');
const rbacGuardrails = fixtureCases('rbac-guardrails');
const serviceExposure = fixtureCases('service-exposure');
const secretsHygiene = fixtureCases('secrets-hygiene');
const podExec = fixtureCases('pod-exec');

describe('policies | fixtures', () => {
  test.each(namespacePodSecurity)('EKS-ADM-001: namespace-pod-security %s', (_, c) =>
    expectFixture('namespace-pod-security', c),
  );
  test.each(podSecurity)('EKS-ADM-002: pod-security %s', (_, c) => expectFixture('pod-security', c));
  test.each(allowedRegistries)('EKS-ADM-003: allowed-registries %s', (_, c) =>
    expectFixture('allowed-registries', c),
  );
  test.each(imagePinning)('EKS-ADM-004: image-pinning %s', (_, c) => expectFixture('image-pinning', c));
  test.each(containerResources)('EKS-ADM-005: container-resources %s', (_, c) =>
    expectFixture('container-resources', c),
  );
  test.each(requiredLabels)('EKS-ADM-006: required-labels %s', (_, c) => expectFixture('required-labels', c));
  test.each(rbacGuardrails)('EKS-ADM-007: rbac-guardrails %s', (_, c) => expectFixture('rbac-guardrails', c));
  test.each(serviceExposure)('EKS-ADM-008: service-exposure %s', (_, c) =>
    expectFixture('service-exposure', c),
  );
  test.each(secretsHygiene)('EKS-ADM-009: secrets-hygiene %s', (_, c) => expectFixture('secrets-hygiene', c));
  test.each(podExec)('EKS-ADM-010: pod-exec %s', (_, c) => expectFixture('pod-exec', c));

  test('every policy has at least two pass and three fail fixtures', () => {
    for (const cases of [
      namespacePodSecurity,
      podSecurity,
      allowedRegistries,
      imagePinning,
      containerResources,
      requiredLabels,
      rbacGuardrails,
      serviceExposure,
      secretsHygiene,
      podExec,
    ]) {
      expect(cases.filter(([, c]) => c.expectAllowed).length).toBeGreaterThanOrEqual(2);
      expect(cases.filter(([, c]) => !c.expectAllowed).length).toBeGreaterThanOrEqual(3);
    }
  });
});
