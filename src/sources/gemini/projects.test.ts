import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jsonl, makeGeminiHome, meta, type GeminiHome } from '../../../test/helpers/gemini-chats.js';
import { locateChatFile, projectRootHash, repositoryChatFiles, sessionChatFiles } from './projects.js';

const CHAT = jsonl(meta('s'));

describe('projectRootHash', () => {
  it("is Gemini's legacy project id: SHA-256 of the root as given", () => {
    expect(projectRootHash('C:\\Users\\acodu\\dev\\dashboard_mictlan')).toBe('56cfacee57fb9791a4f38e595662752e07022cdeb39cd7127005427d7361037b');
  });
});

describe('repositoryChatFiles', () => {
  let home: GeminiHome;
  beforeEach(async () => {
    home = await makeGeminiHome();
  });
  afterEach(async () => {
    await home.dispose();
  });

  it('finds the main chats of every project folder of the repository, in either layout', async () => {
    await home.put('projects.json', JSON.stringify({ projects: { '/work/app': 'app', '/work/app/docs': 'docs', '/work/application': 'application' } }));
    const expected = [
      await home.put('tmp/app/chats/session-2026-05-04T10-00-11111111.jsonl', CHAT),
      await home.put('tmp/docs/chats/session-2026-05-04T11-00-22222222.jsonl', CHAT),
      // Registry entry lost, ownership marker kept.
      await home.put('tmp/tools/chats/session-2026-05-04T12-00-33333333.jsonl', CHAT),
      await home.put(`tmp/${projectRootHash('/work/app')}/chats/session-2025-10-30T23-33-44444444.json`, CHAT),
      await home.put(`tmp/${projectRootHash('/work/app/docs').slice(0, 16)}/chats/session-2025-09-01T08-00-55555555.json`, CHAT),
    ];
    await home.put('tmp/tools/.project_root', '/work/app/tools\n');
    await home.put(`tmp/app/chats/11111111-0000-4000-8000-000000000000/sub.jsonl`, CHAT);
    await home.put('tmp/application/chats/session-2026-05-04T13-00-66666666.jsonl', CHAT);
    await home.put(`tmp/${projectRootHash('/work/other')}/chats/session-2025-10-30T23-33-77777777.json`, CHAT);

    expect(await repositoryChatFiles('/work/app', { HOME: home.home })).toEqual(expected.sort());
  });

  it('finds nothing where Gemini never ran', async () => {
    expect(await repositoryChatFiles('/work/app', { HOME: home.home })).toEqual([]);
  });
});

describe('sessionChatFiles', () => {
  let home: GeminiHome;
  beforeEach(async () => {
    home = await makeGeminiHome();
  });
  afterEach(async () => {
    await home.dispose();
  });

  const SESSION = '11111111-0000-4000-8000-000000000000';

  it('lists the files that may hold a session: same short id in any project folder, and its subagents', async () => {
    const own = await home.put('tmp/app/chats/session-2026-05-04T10-00-11111111.jsonl', CHAT);
    const resumed = await home.put('tmp/app/chats/session-2026-05-04T10-30-11111111.jsonl', CHAT);
    const legacy = await home.put('tmp/0123456789abcdef/chats/session-2026-05-04T10-00-11111111.json', CHAT);
    const subagent = await home.put(`tmp/app/chats/${SESSION}/sub.jsonl`, CHAT);
    await home.put('tmp/app/chats/session-2026-05-04T11-00-22222222.jsonl', CHAT);
    await home.put('tmp/app/chats/22222222-0000-4000-8000-000000000000/sub.jsonl', CHAT);

    const files = await sessionChatFiles(locateChatFile(own), SESSION);
    expect(files.map((file) => file.path).sort()).toEqual([own, resumed, legacy, subagent].sort());
    expect(files.find((file) => file.path === subagent)).toMatchObject({ project: 'app', parentSessionId: SESSION });
  });

  it('reads a chat copied out of its folder alone', async () => {
    const loose = await home.put('copies/chat.jsonl', CHAT);
    expect(await sessionChatFiles(locateChatFile(loose), SESSION)).toEqual([{ path: loose, project: 'copies', parentSessionId: null }]);
  });
});
