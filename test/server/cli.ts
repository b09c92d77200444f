import { demoServerOptions } from './demoAnswers';
import { IoTestServer } from './ioTestServer';

/**
 * Runs the test server on its own. `--demo` is the demo endpoint of `npm start` (no real key): its models carry the
 * demo marker and its answers are written from the request (demoAnswers.ts). Without it, the scripted test server as
 * the tests know it. Prints its base URL on the first line of stdout; `IOI_DEMO_PORT` picks the port (0: any free one).
 */
async function main(): Promise<void> {
  const port = Number(process.env.IOI_DEMO_PORT ?? 0);
  const server = new IoTestServer(process.argv.includes('--demo') ? demoServerOptions() : {});
  await server.start(port);
  process.stdout.write(`${server.baseUrl}\n`);
  const stop = (): void => void server.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
