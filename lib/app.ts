/**
 * Builds the three stacks of the deployment into an app. Shared by bin/app.ts and the infra tests,
 * so the tests check exactly what `cdk synth` produces.
 */
import { type App, Tags } from 'aws-cdk-lib';
import type { AppConfig } from './config';
import { DataStack } from './stacks/data-stack';
import { ServiceStack } from './stacks/service-stack';
import { WebStack } from './stacks/web-stack';

export interface Stacks {
  data: DataStack;
  service: ServiceStack;
  web: WebStack;
}

export function buildStacks(app: App, config: AppConfig, opts: { webDistDir?: string } = {}): Stacks {
  const prefix = `SegmentedPush-${config.stage}`;
  // Env-agnostic: the account and region come from the CLI's credentials at deploy time.
  const data = new DataStack(app, `${prefix}-Data`, { config, description: 'Segmented push: tables, event lake, Athena' });
  const service = new ServiceStack(app, `${prefix}-Service`, { config, data, description: 'Segmented push: API and functions' });
  const web = new WebStack(app, `${prefix}-Web`, {
    config,
    distDir: opts.webDistDir,
    description: 'Segmented push: merchant UI',
  });
  // The web stack reads the service stack's ids from SSM (weak references, no exports): this keeps
  // `cdk deploy --all` deploying the service first.
  web.addStackDependency(service, 'reads the API, authorizer, user pool and SDK client ids from SSM');
  Tags.of(app).add('app', 'segmented-push');
  Tags.of(app).add('stage', config.stage);
  return { data, service, web };
}
