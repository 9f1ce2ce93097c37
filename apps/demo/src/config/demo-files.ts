import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import {
  ConfigError,
  FileCredentialProvider,
  validatePolicy,
  type ConfigIssue,
} from 'api-gateway-auth';
import {
  API_DEFAULTS,
  DemoConfigError,
  loadDemoConfig,
  type DemoConfig,
  type DemoConfigIssue,
  type DemoEnv,
} from './demo-config';

/**
 * The demo's configuration with the files it names read and validated too, every problem of the
 * variables and of the files in one {@link DemoConfigError} (one start names them all): a missing
 * file names its path; an invalid resource policy or credentials file lists each problem with its
 * JSON path — before the app is built, so no framework stack trace comes first.
 * @throws DemoConfigError
 */
export function loadDemoConfigAndFiles(env: DemoEnv, cwd: string = process.cwd()): DemoConfig {
  const fileIssues = checkDemoFiles(env, cwd);
  let config: DemoConfig;
  try {
    config = loadDemoConfig(env, cwd);
  } catch (error) {
    if (!(error instanceof DemoConfigError)) throw error;
    throw new DemoConfigError([...error.issues, ...fileIssues]);
  }
  if (fileIssues.length > 0) throw new DemoConfigError(fileIssues);
  return config;
}

/** Problems of the files `IAM_CREDENTIALS_FILE` and `RESOURCE_POLICY_FILE` name. */
export function checkDemoFiles(env: DemoEnv, cwd: string): DemoConfigIssue[] {
  const issues: DemoConfigIssue[] = [];
  const value = (name: string): string | undefined => env[name]?.trim() || undefined;
  const absolute = (file: string): string => (isAbsolute(file) ? file : resolve(cwd, file));
  const report = (variable: string, file: string) => (issue: ConfigIssue) =>
    issues.push({
      variable,
      message: `${file}: ${issue.path === '$' ? '' : `${issue.path}: `}${issue.message}`,
    });

  const credentialsFile = value('IAM_CREDENTIALS_FILE');
  if (credentialsFile !== undefined && value('IAM_CREDENTIALS') === undefined) {
    const file = absolute(credentialsFile);
    try {
      new FileCredentialProvider(file, { watch: false }).close();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      error.issues.forEach(report('IAM_CREDENTIALS_FILE', file));
    }
  }

  const policyFile = value('RESOURCE_POLICY_FILE');
  if (policyFile !== undefined) {
    const file = absolute(policyFile);
    let text: string | undefined;
    try {
      // The path comes from the operator's RESOURCE_POLICY_FILE, not from a request.
      // eslint-disable-next-line security/detect-non-literal-fs-filename
      text = readFileSync(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      issues.push({ variable: 'RESOURCE_POLICY_FILE', message: `cannot read ${file} (${code})` });
    }
    if (text !== undefined) {
      let document: unknown = text;
      try {
        document = JSON.parse(text);
      } catch {
        // validatePolicy reports the JSON syntax error.
      }
      const api = {
        region: value('GATEWAY_AUTH_REGION') ?? API_DEFAULTS.region,
        accountId: value('GATEWAY_AUTH_ACCOUNT_ID') ?? API_DEFAULTS.accountId,
        apiId: value('GATEWAY_AUTH_API_ID') ?? API_DEFAULTS.apiId,
      };
      validatePolicy(document, {
        kind: 'resource',
        // API Gateway expands execute-api:/stage/VERB/path resources on save (RP-01).
        apiArnPrefix: `arn:aws:execute-api:${api.region}:${api.accountId}:${api.apiId}`,
      }).forEach(report('RESOURCE_POLICY_FILE', file));
    }
  }
  return issues;
}
