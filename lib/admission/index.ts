export * from './evaluator';
export * from './request';
export * from './types';
export { selectorMatches, ruleMatches, matchResources } from './match';
export { gvkOf, resourceOf, isNamespaced } from './resources';
export { Quantity } from './cel/quantity';
export { createAdmissionEnvironment, toCel } from './cel/library';
export * from './check';
export * from './manifests';
