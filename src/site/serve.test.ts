import { mkdir, writeFile } from 'node:fs/promises';
import { request, type Server } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeSuiteTempDirs } from '../../test/helpers/git-repos.js';
import { serveSite } from './serve.js';

interface Answer {
  status: number;
  location: string | undefined;
  type: string | undefined;
  body: string;
}

/** A request with the path sent exactly as written (fetch would resolve `..` before sending). */
function get(port: number, target: string, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: target, method }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, location: response.headers.location, type: response.headers['content-type'], body }));
    });
    req.setTimeout(5000, () => req.destroy(new Error(`no answer to ${method} ${target}`)));
    req.on('error', reject);
    req.end();
  });
}

let outside: string;
let root: string;
const servers: Server[] = [];

beforeAll(async () => {
  outside = await makeTempDir('tl-serve-');
  root = path.join(outside, 'site');
  await mkdir(path.join(root, 'docs'), { recursive: true });
  await mkdir(path.join(root, 'empty'), { recursive: true });
  await mkdir(path.join(root, 'assets'), { recursive: true });
  await writeFile(path.join(root, 'index.html'), '<h1>home</h1>');
  await writeFile(path.join(root, '404.html'), '<h1>not here</h1>');
  await writeFile(path.join(root, 'docs', 'index.html'), '<h1>docs</h1>');
  await writeFile(path.join(root, 'assets', 'site.css'), 'body{}');
  await writeFile(path.join(outside, 'package.json'), '{"secret":"SECRET"}');
  await writeFile(path.join(outside, 'secret.txt'), 'SECRET');
});

afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  await removeSuiteTempDirs();
});

async function serve(pathPrefix: string): Promise<number> {
  const { server } = await serveSite({ root, pathPrefix, port: 0 });
  servers.push(server);
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('serveSite under a project prefix', () => {
  let port: number;
  beforeAll(async () => {
    port = await serve('/repo/');
  });

  it('answers a folder with its index.html', async () => {
    expect(await get(port, '/repo/')).toMatchObject({ status: 200, type: 'text/html; charset=utf-8', body: '<h1>home</h1>' });
    expect(await get(port, '/repo/docs/')).toMatchObject({ status: 200, body: '<h1>docs</h1>' });
  });

  it('serves files with their content type, and HEAD without a body', async () => {
    expect(await get(port, '/repo/assets/site.css')).toMatchObject({ status: 200, type: 'text/css; charset=utf-8', body: 'body{}' });
    expect(await get(port, '/repo/docs/index.html', 'HEAD')).toMatchObject({ status: 200, body: '' });
  });

  it('redirects a folder without its trailing slash, the prefix too', async () => {
    expect(await get(port, '/repo/docs')).toMatchObject({ status: 301, location: '/repo/docs/' });
    expect(await get(port, '/repo')).toMatchObject({ status: 301, location: '/repo/' });
  });

  it('answers unknown paths, folders without an index and paths outside the prefix with 404.html', async () => {
    for (const target of ['/repo/nope/', '/repo/nope.html', '/repo/empty/', '/', '/index.html', '/other/docs/', '/repository/']) {
      expect(await get(port, target), target).toMatchObject({ status: 404, body: '<h1>not here</h1>' });
    }
  });

  it('never serves a file outside the root', async () => {
    for (const target of ['/repo/../secret.txt', '/repo/../../secret.txt', '/repo/%2e%2e/secret.txt', '/repo/%2E%2E/package.json', '/repo/..%2fsecret.txt', '/repo/%2e%2e%2fpackage.json', '/repo/docs/..%2f..%2f..%2fsecret.txt', '/repo/..%5csecret.txt']) {
      const answer = await get(port, target);
      expect(answer.status, target).toBe(404);
      expect(answer.body, target).not.toContain('SECRET');
    }
  });

  it('answers a malformed percent-encoding with 400 and keeps serving', async () => {
    expect(await get(port, '/repo/%E0%A4%A')).toMatchObject({ status: 400 });
    expect(await get(port, '/repo/')).toMatchObject({ status: 200 });
  });
});

describe('serveSite at the root', () => {
  let port: number;
  beforeAll(async () => {
    port = await serve('/');
  });

  it('serves the home page and 404.html for unknown paths', async () => {
    expect(await get(port, '/')).toMatchObject({ status: 200, body: '<h1>home</h1>' });
    expect(await get(port, '/docs')).toMatchObject({ status: 301, location: '/docs/' });
    expect(await get(port, '/nope')).toMatchObject({ status: 404, body: '<h1>not here</h1>' });
  });

  it('never serves a file outside the root', async () => {
    for (const target of ['/../package.json', '/%2e%2e/package.json', '/..%2f..%2fsecret.txt', '/%2e%2e%2f%2e%2e%2fpackage.json', '/docs/../../secret.txt']) {
      const answer = await get(port, target);
      expect(answer.status, target).toBe(404);
      expect(answer.body, target).not.toContain('SECRET');
    }
  });
});
