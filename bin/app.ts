#!/usr/bin/env node
/** The CDK app: configuration from context, the three stacks, cdk-nag AwsSolutions as a validation. */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildStacks } from '../lib/app';
import { loadConfig } from '../lib/config';

const app = new App();
// The CLI refuses `-c aws:cdk:bundling-stacks=[]` (reserved prefix), so `-c skipBundling=true` sets it
// here, before any stack exists: a template-only synth that needs neither the Lambda entries nor esbuild.
const skip = app.node.tryGetContext('skipBundling');
if (skip === true || skip === 'true') app.node.setContext('aws:cdk:bundling-stacks', []);

buildStacks(app, loadConfig(app));
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
app.synth();
