/**
 * The CDK app of the demo deployment. No CDK CLI needed to synthesize:
 *   node -r @swc-node/register deploy/app.ts        (writes deploy/cdk.out)
 * Deploy with the CDK CLI from deploy/ (`npx aws-cdk deploy`), see docs/deploy.md. Settings come
 * from environment variables read here (deploy-time) and CloudFormation parameters (ApiId, Stage,
 * HttpPlatform, LogLevel, and CognitoUserPoolId/CognitoClientIds with DEMO_COGNITO=parameters).
 */
import { App } from 'aws-cdk-lib';
import { join } from 'node:path';
import { DemoServiceStack } from './lib/demo-service-stack';

const app = new App({ outdir: process.env.CDK_OUTDIR ?? join(__dirname, 'cdk.out') });
const cognito = process.env.DEMO_COGNITO === 'parameters' ? 'parameters' : 'create';
new DemoServiceStack(app, process.env.DEMO_STACK_NAME ?? 'GatewayAuthDemo', {
  env: {
    account: process.env.CDK_DEFAULT_ACCOUNT,
    region: process.env.CDK_DEFAULT_REGION,
  },
  cognito,
  ...(process.env.DEMO_DESIRED_COUNT
    ? { desiredCount: Number(process.env.DEMO_DESIRED_COUNT) }
    : {}),
  ...(process.env.AUTHORIZER_FUNCTION_NAME
    ? { authorizerFunctionName: process.env.AUTHORIZER_FUNCTION_NAME }
    : {}),
  ...(process.env.DEMO_CERTIFICATE_ARN ? { certificateArn: process.env.DEMO_CERTIFICATE_ARN } : {}),
});
app.synth();
