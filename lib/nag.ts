/**
 * Helpers to acknowledge cdk-nag findings precisely: a wildcard resource is acknowledged by its
 * exact finding id (`AwsSolutions-IAM5[Resource::...]`) on the role that holds it, never the rule.
 */
import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** The flat form cdk-nag gives a CloudFormation value in finding ids (Ref → <X>, GetAtt → <X.Y>). */
export function flattenForNag(value: unknown): string {
  if (typeof value === 'string') return value.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (Array.isArray(o['Fn::Join'])) {
      const [delimiter, items] = o['Fn::Join'] as [string, unknown[]];
      return items.map(flattenForNag).join(delimiter);
    }
    if (Array.isArray(o['Fn::GetAtt'])) {
      const [res, attr] = o['Fn::GetAtt'] as [unknown, unknown];
      return `<${flattenForNag(res)}.${flattenForNag(attr)}>`;
    }
    if ('Fn::ImportValue' in o) return flattenForNag(o['Fn::ImportValue']);
    if ('Fn::Sub' in o) return flattenForNag(o['Fn::Sub']);
    if ('Ref' in o) return `<${flattenForNag(o.Ref)}>`;
  }
  return JSON.stringify(value);
}

/** Acknowledge AwsSolutions-IAM5 for one wildcard resource ARN on `scope` (a role or function). */
export function acknowledgeWildcardResource(scope: IConstruct, resourceArn: string, reason: string): void {
  const flat = flattenForNag(Stack.of(scope).resolve(resourceArn));
  Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[Resource::${flat}]`, reason });
}
