/** Policy 4: no `:latest` and no tag-less images; optionally digests only. */
import type { KubeObject } from '../lib/admission/types';
import {
  DEFAULT_ACTIONS,
  POD_VARIABLES,
  WORKLOAD_RULES,
  excludeNamespaces,
  renderPolicy,
  type PolicyProps,
  type PolicyValidation,
} from './private/vap';

export interface ImagePinningProps extends PolicyProps {
  /** Deny images not pinned by `@sha256:` digest. @default false */
  readonly requireDigests?: boolean;
}

const DIGEST = "c.image.matches('@sha256:[a-f0-9]{64}$')";
// The tag lives in the last path segment (`host:5000/app` has a port, not a tag).
const TAGGED = "c.image.find('[^/]+$').contains(':') && !c.image.endsWith(':latest')";

export class ImagePinning {
  public static readonly id = 'image-pinning';
  public static readonly controls = ['EKS-ADM-004'];

  constructor(private readonly props: ImagePinningProps) {}

  public get validations(): readonly PolicyValidation[] {
    const tagged: PolicyValidation = {
      expression: `variables.containers.all(c, ${DIGEST} || (${TAGGED}))`,
      message: 'images must carry a version tag other than latest, or a digest',
      messageExpression: `'images must carry a version tag other than latest, or a digest: ' + variables.containers.filter(c, !(${DIGEST} || (${TAGGED}))).map(c, c.image).join(', ')`,
    };
    const digest: PolicyValidation = {
      expression: `variables.containers.all(c, ${DIGEST})`,
      message: 'images must be pinned by digest (@sha256:...)',
      messageExpression: `'images must be pinned by digest (@sha256:...): ' + variables.containers.filter(c, !(${DIGEST})).map(c, c.image).join(', ')`,
    };
    return this.props.requireDigests ? [tagged, digest] : [tagged];
  }

  public manifests(): KubeObject[] {
    return renderPolicy({
      name: ImagePinning.id,
      id: ImagePinning.id,
      controls: ImagePinning.controls,
      description: 'No latest or tag-less images',
      rules: WORKLOAD_RULES,
      variables: POD_VARIABLES,
      validations: this.validations,
      validationActions: this.props.validationActions ?? DEFAULT_ACTIONS,
      namespaceSelector: excludeNamespaces(this.props.exemptNamespaces),
    });
  }
}
