/**
 * Serves a built site on localhost, under its path prefix, as GitHub Pages would: folders answer
 * with their index.html, unknown paths with 404.html and status 404. For `site serve` and `demo`.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.txt': 'text/plain; charset=utf-8',
};

export interface ServeOptions {
  root: string;
  /** `/` or `/<prefix>/`, as the site was built. */
  pathPrefix: string;
  port: number;
  host?: string;
}

export async function serveSite(options: ServeOptions): Promise<{ server: Server; url: string }> {
  const root = path.resolve(options.root);
  const server = createServer((request, response) => {
    void answer(root, options.pathPrefix, request.url ?? '/').then(({ status, file, location }) => {
      if (location) {
        response.writeHead(status, { location });
        response.end();
        return;
      }
      response.writeHead(status, { 'content-type': TYPES[path.extname(file ?? '')] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
      if (file && request.method !== 'HEAD') createReadStream(file).pipe(response);
      else response.end(file ? undefined : status === 400 ? 'Bad request' : 'Not found');
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return { server, url: `http://${host === '127.0.0.1' ? 'localhost' : host}:${port}${options.pathPrefix}` };
}

async function answer(root: string, prefix: string, url: string): Promise<{ status: number; file?: string; location?: string }> {
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(url, 'http://localhost').pathname);
  } catch {
    // A malformed escape (`%E0%A4%A`): an error answer, not a rejection that stops the server.
    return { status: 400 };
  }
  if (pathname === prefix.slice(0, -1) && prefix !== '/') return { status: 301, location: prefix };
  if (!pathname.startsWith(prefix)) return notFound(root);
  const target = path.resolve(root, `.${path.posix.normalize(`/${pathname.slice(prefix.length)}`)}`);
  if (target !== root && !target.startsWith(`${root}${path.sep}`)) return notFound(root);
  const found = await fileAt(target);
  if (found === 'dir') {
    if (!pathname.endsWith('/')) return { status: 301, location: `${pathname}/` };
    return (await fileAt(path.join(target, 'index.html'))) === 'file' ? { status: 200, file: path.join(target, 'index.html') } : notFound(root);
  }
  return found === 'file' ? { status: 200, file: target } : notFound(root);
}

async function notFound(root: string): Promise<{ status: number; file?: string }> {
  const page = path.join(root, '404.html');
  return { status: 404, ...((await fileAt(page)) === 'file' ? { file: page } : {}) };
}

async function fileAt(file: string): Promise<'file' | 'dir' | null> {
  try {
    const info = await stat(file);
    return info.isDirectory() ? 'dir' : info.isFile() ? 'file' : null;
  } catch {
    return null;
  }
}
