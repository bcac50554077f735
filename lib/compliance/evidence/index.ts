export * from './model';
export { buildEvidenceReport, canonicalJson, configDigest, type EvidenceInput } from './build';
export { collectEvidence, evidenceOf, admissionPolicyEntries, type CollectedEvidence } from './collect';
export {
  EvidenceInputError,
  parseKubeBenchJson,
  parseVerifyJson,
  type KubeBenchInput,
  type VerifyInput,
} from './inputs';
export { renderReportHtml } from './render/html';
export { renderHeatmap, renderStackedBarChart } from './render/charts';
export { main, USAGE, type ReportIo } from './cli';
