/**
 * The Lambdas' configuration, parsed once with a schema from the environment the CDK constructs set
 * (names in env.ts). Each function gets only the variables of the resources it was granted, so a
 * value is required when it is first used, not at cold start.
 */
import * as z from 'zod';
import { ENV, type EnvName } from './env';

const schema = z.object({
  [ENV.recordsTable]: z.string().min(1).optional(),
  [ENV.deliveriesTable]: z.string().min(1).optional(),
  [ENV.eventsStream]: z.string().min(1).optional(),
  [ENV.devicesStream]: z.string().min(1).optional(),
  [ENV.deliveriesStream]: z.string().min(1).optional(),
  [ENV.athenaWorkgroup]: z.string().min(1).optional(),
  [ENV.athenaDatabase]: z.string().min(1).optional(),
  [ENV.queryTimeoutMs]: z
    .string()
    .regex(/^[1-9]\d*$/, 'a whole number of milliseconds')
    .optional(),
  [ENV.sendQueueUrl]: z.url().optional(),
  [ENV.maintenanceQueueUrl]: z.url().optional(),
  [ENV.lakeBucket]: z.string().min(3).optional(),
  [ENV.lakeRetentionDays]: z
    .string()
    .regex(/^[1-9]\d*$/, 'a whole number of days')
    .optional(),
  [ENV.erasureSettleMs]: z.string().regex(/^\d+$/, 'a whole number of milliseconds').optional(),
  [ENV.maxSendsPerSecond]: z
    .string()
    .regex(/^[1-9]\d*$/, 'a whole number of pushes a second')
    .optional(),
  [ENV.schedulerGroup]: z.string().min(1).optional(),
  [ENV.schedulerRoleArn]: z.string().startsWith('arn:').optional(),
  [ENV.schedulerDlqArn]: z.string().startsWith('arn:').optional(),
  [ENV.triggerFunctionArn]: z.string().startsWith('arn:').optional(),
  [ENV.apnsPlatformAppArn]: z.string().startsWith('arn:').optional(),
  [ENV.fcmPlatformAppArn]: z.string().startsWith('arn:').optional(),
  [ENV.pushAppArnPrefix]: z
    .string()
    .regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:app\/$/)
    .optional(),
  [ENV.pushAppNamePrefix]: z
    .string()
    .regex(/^[\w.-]{1,200}$/)
    .optional(),
  [ENV.pushSecretPrefix]: z
    .string()
    .regex(/^[\w/+=.@-]{1,400}\/$/)
    .optional(),
  [ENV.pushFeedbackRoleArn]: z.string().startsWith('arn:').optional(),
  [ENV.stage]: z.string().optional(),
});

export type Config = z.output<typeof schema>;

let parsed: Config | undefined;

/** The parsed environment (once per cold start). */
export function config(env: NodeJS.ProcessEnv = process.env): Config {
  if (!parsed || env !== process.env) {
    const result = schema.safeParse(env);
    if (!result.success)
      throw new Error(`invalid configuration: ${result.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`).join('; ')}`);
    if (env !== process.env) return result.data;
    parsed = result.data;
  }
  return parsed;
}

/** A configuration value this function needs; a missing one is a deployment fault, said plainly. */
export function required(name: EnvName, env?: NodeJS.ProcessEnv): string {
  const value = config(env)[name as keyof Config];
  if (!value) throw new Error(`missing configuration ${name}: the function was not granted this resource`);
  return value;
}
