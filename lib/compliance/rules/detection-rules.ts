import { prop, resourcesOfType, type Finding, type TemplateRule } from './types';

/** ECR repositories scan on push, have immutable tags, a KMS key and survive stack deletion. */
export const imageRepositoriesHardened: TemplateRule = {
  controlId: 'EKS-IMG-001',
  check: (ctx) =>
    resourcesOfType(ctx.template, 'AWS::ECR::Repository').flatMap(([id, r]) => {
      const out: Finding[] = [];
      const add = (controlId: string, message: string) => out.push({ controlId, logicalId: id, message });
      if (prop(r.Properties, 'ImageScanningConfiguration', 'ScanOnPush') !== true) {
        add('EKS-IMG-001', 'ECR repositories must scan images on push');
      }
      if (prop(r.Properties, 'ImageTagMutability') !== 'IMMUTABLE') {
        add('EKS-IMG-002', 'ECR image tags must be IMMUTABLE');
      }
      if (
        prop(r.Properties, 'EncryptionConfiguration', 'EncryptionType') !== 'KMS' ||
        prop(r.Properties, 'EncryptionConfiguration', 'KmsKey') === undefined
      ) {
        add('EKS-IMG-003', 'ECR repositories must be encrypted with the images KMS key');
      }
      if (r.DeletionPolicy !== 'Retain')
        add('EKS-IMG-003', 'ECR repositories must have DeletionPolicy Retain');
      return out;
    }),
};

/** The alarm topic (any SNS topic of the blueprint) is encrypted with a customer-managed key. */
export const topicsEncrypted: TemplateRule = {
  controlId: 'EKS-DET-010',
  check: (ctx) =>
    resourcesOfType(ctx.template, 'AWS::SNS::Topic')
      .filter(([, r]) => prop(r.Properties, 'KmsMasterKeyId') === undefined)
      .map(([id]) => ({
        controlId: 'EKS-DET-010',
        logicalId: id,
        message: 'SNS topics must be encrypted with a customer-managed KMS key',
      })),
};
