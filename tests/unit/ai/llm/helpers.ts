import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../../../src/logger';
import { OpenAiChat } from '../../../../src/ai/llm/openai-chat';
import type { OpenAiEmulator } from '../../../emulators/openai';

/** A real pino logger (with chatdesk's redaction) whose lines are kept for assertions. */
export function capturingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(chunk.toString('utf8'));
      cb();
    },
  });
  return { logger: createLogger({ level: 'debug', destination }), lines };
}

export function chatFor(emu: OpenAiEmulator, timeoutMs = 2000, maxRetries = 1): OpenAiChat {
  return new OpenAiChat({ apiKey: emu.apiKey, baseUrl: emu.baseUrl, model: emu.model, timeoutMs }, { maxRetries });
}

export const CATEGORIES = [
  { id: 'network', description: 'handled by the IT team' },
  { id: 'hardware', description: 'handled by the IT team' },
  { id: 'access', description: 'handled by the IT team' },
  { id: 'hr', description: 'handled by the People team' },
];
