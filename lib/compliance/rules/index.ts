import {
  allLogTypes,
  apiAuthenticationMode,
  deletionProtection,
  endpointIsPrivate,
  noCreatorAdmin,
  secretsEncrypted,
} from './cluster-rules';
import {
  bottlerocketAmi,
  bottlerocketSettings,
  cisLevel2,
  encryptedVolumes,
  imdsV2HopLimitOne,
  minimalNodeRole,
  noRemoteAccess,
} from './node-rules';
import { imageRepositoriesHardened, topicsEncrypted } from './detection-rules';
import { nodegroupUpdatesRespectPdbs } from './nodegroup-rules';
import { keysRotateAndAreRetained, logGroupsEncryptedRetained, noSshNoWorldIngress } from './resource-rules';
import type { Finding, RuleContext, TemplateRule } from './types';

export * from './types';

/** Every synth-time control check, in catalogue order. */
export const TEMPLATE_RULES: readonly TemplateRule[] = [
  endpointIsPrivate,
  noSshNoWorldIngress,
  allLogTypes,
  logGroupsEncryptedRetained,
  secretsEncrypted,
  keysRotateAndAreRetained,
  apiAuthenticationMode,
  noCreatorAdmin,
  minimalNodeRole,
  bottlerocketAmi,
  imdsV2HopLimitOne,
  encryptedVolumes,
  noRemoteAccess,
  bottlerocketSettings,
  cisLevel2,
  deletionProtection,
  nodegroupUpdatesRespectPdbs,
  topicsEncrypted,
  imageRepositoriesHardened,
];

/** Runs every rule over one template. Pure: the plugin and the tests both call it. */
export function checkTemplate(ctx: RuleContext): Finding[] {
  return TEMPLATE_RULES.flatMap((rule) => rule.check(ctx));
}
