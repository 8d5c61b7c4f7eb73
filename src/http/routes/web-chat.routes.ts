import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Hono } from 'hono';

/** The web chat page (adapters/web/public), read once at start: no build step. */
const dir = join(import.meta.dirname, '..', '..', '..', 'adapters', 'web', 'public');
const files: Record<string, { type: string; body: string }> = {
  '/': { type: 'text/html; charset=utf-8', body: readFileSync(join(dir, 'index.html'), 'utf8') },
  '/chat/chat.js': { type: 'text/javascript; charset=utf-8', body: readFileSync(join(dir, 'chat.js'), 'utf8') },
  '/chat/chat.css': { type: 'text/css; charset=utf-8', body: readFileSync(join(dir, 'chat.css'), 'utf8') },
};

export function webChatRoutes() {
  const app = new Hono();
  for (const [path, file] of Object.entries(files)) {
    app.get(path, (c) => c.body(file.body, 200, { 'content-type': file.type, 'cache-control': 'no-cache' }));
  }
  return app;
}
