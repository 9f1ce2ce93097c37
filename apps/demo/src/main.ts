import 'reflect-metadata';
import { loadDemoConfigAndFiles } from './config/demo-files';
import { startDemo } from './create-demo-app';
import { startTelemetry } from './telemetry';

/**
 * Starts the demo from environment variables (see the README's configuration table). Invalid
 * configuration — a variable, or the content of a file one names — stops it with exit code 1 and
 * one message listing every problem, before the app is built.
 */
export async function main(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const config = loadDemoConfigAndFiles(env);
  // Before the app: gateway-auth records through the global providers the SDK registers.
  const telemetry = startTelemetry(env);
  const demo = await startDemo(config);
  process.stdout.write(
    JSON.stringify({
      time: new Date().toISOString(),
      level: 'info',
      event: 'listening',
      url: demo.url,
      platform: config.platform,
      ...(telemetry?.prometheusUrl === undefined ? {} : { metrics: telemetry.prometheusUrl }),
    }) + '\n',
  );
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`gateway-auth demo: ${(error as Error).message}\n`);
    process.exit(1);
  });
}
