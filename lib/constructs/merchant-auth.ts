/**
 * Merchant identities: a Cognito user pool whose users carry an immutable `custom:tenant_id`
 * (set by an administrator when the merchant's user is created), its hosted-UI domain, and a public
 * SDK client (SRP sign-in for merchants' scripts). The merchant UI's OAuth client lives in the web
 * stack, because its callback URL is the distribution's (lib/constructs/web-sign-in.ts); the HTTP API's
 * JWT authorizer trusts this pool and both clients.
 */
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';

/** The claim the merchant handlers read the tenant from (ID tokens carry custom attributes). */
export const TENANT_CLAIM = 'custom:tenant_id';

/** What an app client may read: the tenant (never writable: the claim is the isolation boundary). */
export function merchantReadAttributes(): cognito.ClientAttributes {
  return new cognito.ClientAttributes().withStandardAttributes({ email: true, emailVerified: true }).withCustomAttributes('tenant_id');
}

/** The hosted-UI base URL of a domain prefix (what UserPoolDomain.baseUrl() gives, without a reference to it). */
export function hostedUiUrl(domainPrefix: string, region: string): string {
  return `https://${domainPrefix}.auth.${region}.amazoncognito.com`;
}

export interface MerchantAuthProps {
  stage: string;
  /** Hosted-UI domain prefix (lib/config.ts authDomainPrefixOf). */
  domainPrefix: string;
}

export class MerchantAuth extends Construct {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;
  readonly domain: cognito.UserPoolDomain;

  constructor(scope: Construct, id: string, props: MerchantAuthProps) {
    super(scope, id);
    this.userPool = new cognito.UserPool(this, 'UserPool', {
      userPoolName: `segmented-push-${props.stage}-merchants`,
      // Merchants are onboarded by an administrator who sets their tenant; nobody signs up alone.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      customAttributes: {
        tenant_id: new cognito.StringAttribute({ minLen: 3, maxLen: 40, mutable: false }),
      },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { sms: false, otp: true },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      featurePlan: cognito.FeaturePlan.ESSENTIALS,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason:
        'Essentials tier by choice: a handful of administrator-created merchant users with required TOTP MFA and a strong password policy; Plus-tier threat protection is billed per user and adds little here. Revisit when merchants self-serve.',
    });

    this.client = this.userPool.addClient('WebClient', {
      generateSecret: false,
      authFlows: { userSrp: true },
      // SDK scripts sign in with SRP, never through the hosted UI: without this CDK would enable the
      // code and implicit grants with a placeholder callback URL (https://example.com) on this client.
      disableOAuth: true,
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      // Users may read their tenant but never write it: the claim is the isolation boundary.
      readAttributes: merchantReadAttributes(),
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ email: true }),
    });

    // The hosted sign-in pages (classic hosted UI: it needs no per-client branding resource).
    this.domain = this.userPool.addDomain('Domain', {
      cognitoDomain: { domainPrefix: props.domainPrefix },
      managedLoginVersion: cognito.ManagedLoginVersion.CLASSIC_HOSTED_UI,
    });
  }

  /** https://<prefix>.auth.<region>.amazoncognito.com: the /oauth2/authorize, /oauth2/token and /logout endpoints. */
  get domainUrl(): string {
    return this.domain.baseUrl();
  }

  get issuerUrl(): string {
    return `https://cognito-idp.${Stack.of(this).region}.amazonaws.com/${this.userPool.userPoolId}`;
  }
}
