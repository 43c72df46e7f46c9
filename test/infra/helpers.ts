/** Builds the app exactly as bin/app.ts does (cdk.json context, same stacks), with bundling skipped. */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { buildStacks, type Stacks } from '../../lib/app';
import { parseConfig, type AppConfig } from '../../lib/config';
import cdkJson from '../../cdk.json';

export interface Built extends Stacks {
  app: App;
  config: AppConfig;
  data_t: Template;
  service_t: Template;
  web_t: Template;
}

export function build(overrides: Partial<Record<keyof AppConfig, unknown>> = {}, webDistDir = '/nonexistent/web/dist'): Built {
  const app = new App({ context: { ...cdkJson.context, ...overrides, 'aws:cdk:bundling-stacks': [] } });
  const config = parseConfig({ ...(cdkJson.context as Record<string, unknown>), ...overrides });
  const stacks = buildStacks(app, config, { webDistDir });
  return {
    app,
    config,
    ...stacks,
    data_t: Template.fromStack(stacks.data),
    service_t: Template.fromStack(stacks.service),
    web_t: Template.fromStack(stacks.web),
  };
}

export function logicalId(c: IConstruct): string {
  const child = c.node.defaultChild as unknown as Parameters<Stack['getLogicalId']>[0];
  return Stack.of(c).resolve(Stack.of(c).getLogicalId(child)) as string;
}

type Statement = { Action: string | string[]; Resource: unknown; Condition?: unknown; Effect: string };

/** Every Allow statement attached (inline policies) to a role, by role logical id. */
export function statementsOfRole(t: Template, roleId: string): Statement[] {
  const policies = t.findResources('AWS::IAM::Policy');
  return Object.values(policies)
    .filter((p) => (p.Properties.Roles as unknown[]).some((r) => JSON.stringify(r) === JSON.stringify({ Ref: roleId })))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[])
    .filter((s) => s.Effect === 'Allow');
}

export function actionsOfRole(t: Template, roleId: string): string[] {
  const actions = statementsOfRole(t, roleId).flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
  return [...new Set(actions)].sort();
}
