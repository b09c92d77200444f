import { IoTestServer } from './ioTestServer';
import { streamText } from './scenarios';

/**
 * Runs the test server on its own, as the demo endpoint of `npm start` when no real key is set.
 * Prints its base URL on the first line of stdout.
 */
async function main(): Promise<void> {
  const port = Number(process.env.IOI_DEMO_PORT ?? 0);
  const server = new IoTestServer({
    stepDelayMs: 15,
    defaultAnswer: (chat) => {
      const last = chat.messages?.[chat.messages.length - 1]?.content ?? '';
      const words = `**Demo endpoint** — this answer comes from the local test server, not from IO Intelligence. Set \`IOINTELLIGENCE_API_KEY\` before \`npm start\` to talk to the real API.\n\nYour message had ${last.length} characters. Here is some code:\n\n\`\`\`ts\nexport function greet(name: string): string {\n  return \`Hello, \${name}!\`;\n}\n\`\`\`\n`;
      return streamText(words.match(/[\s\S]{1,12}/g) ?? []);
    },
  });
  await server.start(port);
  process.stdout.write(`${server.baseUrl}\n`);
  const stop = (): void => void server.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
