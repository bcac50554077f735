import * as fs from 'fs';
import * as path from 'path';
import { AUDIT_ALARM_IDS, type AuditAlarmId } from '../../../lib/config';
import { AUDIT_ALARMS } from '../../../lib/constructs/audit/audit-rules';
import { renderFilterPattern } from '../../../lib/constructs/audit/filter-pattern';
import { matchesFilterPattern } from '../../../lib/constructs/audit/filter-pattern-matcher';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'audit');

function events(id: string, kind: 'positive' | 'negative'): Array<Record<string, any>> {
  return fs
    .readFileSync(path.join(FIXTURES, id, `${kind}.jsonl`), 'utf-8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l));
}

/** Proves one alarm's generated pattern against its fixtures; returns the pattern. */
function proveAlarm(id: AuditAlarmId, controlId: string): string {
  const def = AUDIT_ALARMS.find((a) => a.id === id);
  expect(def?.controlId).toBe(controlId);
  const pattern = renderFilterPattern(def!.condition);
  const positives = events(id, 'positive');
  const negatives = events(id, 'negative');
  expect(positives.length).toBeGreaterThan(0);
  expect(negatives.length).toBeGreaterThan(0);
  positives.forEach((e, i) =>
    expect([`positive[${i}]`, matchesFilterPattern(pattern, e)]).toEqual([`positive[${i}]`, true]),
  );
  negatives.forEach((e, i) =>
    expect([`negative[${i}]`, matchesFilterPattern(pattern, e)]).toEqual([`negative[${i}]`, false]),
  );
  return pattern;
}

describe('audit alarm definitions |', () => {
  test('every configurable alarm has exactly one definition and a fixture directory', () => {
    expect(AUDIT_ALARMS.map((a) => a.id).sort()).toEqual([...AUDIT_ALARM_IDS].sort());
    for (const id of AUDIT_ALARM_IDS) expect(fs.existsSync(path.join(FIXTURES, id))).toBe(true);
  });

  test('fixtures are EKS audit.k8s.io/v1 events (apart from the silence alarm negatives)', () => {
    for (const id of AUDIT_ALARM_IDS) {
      const all = [...events(id, 'positive'), ...(id === 'auditLogSilence' ? [] : events(id, 'negative'))];
      for (const e of all) {
        expect(e).toMatchObject({ kind: 'Event', apiVersion: 'audit.k8s.io/v1' });
        expect(e.auditID).toMatch(/^[0-9a-f-]{36}$/);
        expect(['ResponseStarted', 'ResponseComplete']).toContain(e.stage);
        expect(['Metadata', 'Request', 'RequestResponse']).toContain(e.level);
        expect(typeof e.user.username).toBe('string');
        expect(typeof e.responseStatus.code).toBe('number');
      }
    }
  });

  test('EKS-DET-001: allowed anonymous requests match; health probes, denials and signed-in users do not', () => {
    expect(proveAlarm('anonymousAllowed', 'EKS-DET-001')).toContain('$.user.username = "system:anonymous"');
  });

  test('EKS-DET-002: exec (SPDY and WebSocket), attach, port-forward and kubectl debug match; logs and proxy do not', () => {
    proveAlarm('podExec', 'EKS-DET-002');
  });

  test('EKS-DET-003: bindings to cluster-admin or system:masters match, including patches; other RBAC writes do not', () => {
    expect(proveAlarm('privilegedBinding', 'EKS-DET-003')).toBe(
      '{ (($.objectRef.resource = "clusterrolebindings") || ($.objectRef.resource = "rolebindings")) && ' +
        '(($.verb = "create") || ($.verb = "update") || ($.verb = "patch")) && ' +
        '(($.requestObject.roleRef.name = "cluster-admin") || ($.responseObject.roleRef.name = "cluster-admin") || ' +
        '($.requestObject.subjects[0].name = "system:masters") || ($.responseObject.subjects[0].name = "system:masters") || ' +
        '($.requestObject.subjects[1].name = "system:masters") || ($.responseObject.subjects[1].name = "system:masters") || ' +
        '($.requestObject.subjects[2].name = "system:masters") || ($.responseObject.subjects[2].name = "system:masters") || ' +
        '($.requestObject.subjects[3].name = "system:masters") || ($.responseObject.subjects[3].name = "system:masters")) }',
    );
  });

  test('EKS-DET-004: webhook configuration and admission policy writes match; reads and other objects do not', () => {
    proveAlarm('admissionConfigChange', 'EKS-DET-004');
  });

  test('EKS-DET-005: 401 and 403 responses match; other statuses do not', () => {
    expect(proveAlarm('authFailures', 'EKS-DET-005')).toBe(
      '{ ($.responseStatus.code = 401) || ($.responseStatus.code = 403) }',
    );
  });

  test('EKS-DET-006: secret reads by people and workloads match; control-plane reads and writes do not', () => {
    proveAlarm('secretReads', 'EKS-DET-006');
  });

  test('EKS-DET-007: Pod Security, admission policy and webhook denials match; audit-mode annotations do not', () => {
    proveAlarm('admissionDenials', 'EKS-DET-007');
  });

  test('EKS-DET-008: every audit event counts towards the silence alarm; other JSON logs do not', () => {
    const def = AUDIT_ALARMS.find((a) => a.id === 'auditLogSilence')!;
    expect(def.direction).toBe('low');
    expect(def.treatMissingData).toBe('breaching');
    proveAlarm('auditLogSilence', 'EKS-DET-008');
  });

  test('the catalogue records each filter limitation and its fallback query', () => {
    const { CONTROLS } = jest.requireActual('../../../lib/compliance/controls');
    for (const a of AUDIT_ALARMS) {
      const control = CONTROLS.find((c: { id: string }) => c.id === a.controlId);
      expect(control).toBeDefined();
      if (a.limitation) {
        expect(control.limitation).toContain(a.limitation.note);
        expect(control.limitation).toContain(`"${a.limitation.queryId}"`);
      } else {
        expect(control.limitation).toBeUndefined();
      }
    }
  });

  test('limitations name an existing saved query and only the silence alarm treats missing data as breaching', () => {
    const { auditQueries } = jest.requireActual('../../../lib/constructs/audit/queries');
    const ids = auditQueries({ clusterName: 'c' }).map((q: { id: string }) => q.id);
    for (const a of AUDIT_ALARMS) {
      if (a.limitation) expect(ids).toContain(a.limitation.queryId);
      expect(a.treatMissingData).toBe(a.id === 'auditLogSilence' ? 'breaching' : 'notBreaching');
    }
  });
});
