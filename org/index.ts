/**
 * The fork's typed hooks (see org/README.md): extra baseline charts, constructs added to an environment's
 * stacks, catalogue controls of the org's own and cdk-nag acknowledgements. Upstream ships it empty and
 * never changes it again.
 */
import { defineOrgExtensions } from '../lib/extensions';

export default defineOrgExtensions({});
