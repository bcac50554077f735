import type { IConstruct } from 'constructs';

/**
 * A construct received props it cannot build. Carries a stable PascalCase code and the construct path,
 * like aws-cdk-lib's (internal) ValidationError, so tests can match the code and users see where.
 */
export class BlueprintValidationError extends Error {
  public readonly code: string;

  constructor(code: string, message: string, scope?: IConstruct) {
    super(`${code}: ${message}${scope ? ` [at ${scope.node.path}]` : ''}`);
    this.name = 'BlueprintValidationError';
    this.code = code;
  }
}
