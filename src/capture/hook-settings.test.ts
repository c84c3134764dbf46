import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  findHooks,
  hookCommand,
  hookCommandPaths,
  hookShapeProblem,
  installHooks,
  isTokenledgerHandler,
  shellQuote,
  shellWords,
  uninstallHooks,
} from './hook-settings.js';
import { DEFAULT_FORMAT, detectFormat, parseSettings, type Settings, serializeSettings } from './hook-settings-json.js';

const NODE = '/usr/local/bin/node';
const SCRIPT = '/opt/tokenledger/bin/tokenledger.js';
const COMMAND = hookCommand(NODE, SCRIPT);
const ours = (timeout: number, command = COMMAND) => ({ type: 'command', command, timeout });

const GATE = [{ matcher: 'Bash', hooks: [{ type: 'command', command: 'guard.sh', timeout: 5 }] }];

/** Settings of someone who already uses hooks: another tool's SessionEnd group and a PreToolUse gate. */
function otherTools(): Settings {
  return {
    model: 'opus',
    permissions: { allow: ['Bash(npm test)'] },
    hooks: {
      PreToolUse: structuredClone(GATE),
      SessionEnd: [{ hooks: [{ type: 'command', command: 'other-tool flush' }] }],
    },
  };
}

describe('hookCommand', () => {
  it('quotes both absolute paths and ends with `hook run`', () => {
    expect(COMMAND).toBe('"/usr/local/bin/node" "/opt/tokenledger/bin/tokenledger.js" hook run');
    expect(hookCommand('/Users/Ada Lovelace/n"o$de`x\\', '/a b/t.js')).toBe('"/Users/Ada Lovelace/n\\"o\\$de\\`x\\\\" "/a b/t.js" hook run');
  });

  it('reads back as the same words for any paths', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (node, script) => {
        expect(shellWords(hookCommand(node, script))).toEqual([node, script, 'hook', 'run']);
      }),
    );
  });

  it('is recognised as ours, and only commands naming tokenledger and ` hook run` are', () => {
    expect(isTokenledgerHandler(ours(1))).toBe(true);
    expect(isTokenledgerHandler({ type: 'command', command: 'npx tokenledger hook run' })).toBe(true);
    expect(isTokenledgerHandler({ type: 'command', command: 'tokenledger report daily' })).toBe(false);
    expect(isTokenledgerHandler({ type: 'command', command: 'other-tool hook run' })).toBe(false);
    expect(isTokenledgerHandler({ type: 'http', command: COMMAND })).toBe(false);
    expect(isTokenledgerHandler('tokenledger hook run')).toBe(false);
  });
});

describe('installHooks', () => {
  it('adds one matcher group per event, with timeouts in seconds', () => {
    const result = installHooks({}, COMMAND);
    expect(result.changes).toEqual({ SessionEnd: 'added', SessionStart: 'added' });
    expect(serializeSettings(result.settings, DEFAULT_FORMAT)).toBe(
      [
        '{',
        '  "hooks": {',
        '    "SessionEnd": [',
        '      {',
        '        "hooks": [',
        '          {',
        '            "type": "command",',
        '            "command": "\\"/usr/local/bin/node\\" \\"/opt/tokenledger/bin/tokenledger.js\\" hook run",',
        '            "timeout": 1',
        '          }',
        '        ]',
        '      }',
        '    ],',
        '    "SessionStart": [',
        '      {',
        '        "hooks": [',
        '          {',
        '            "type": "command",',
        '            "command": "\\"/usr/local/bin/node\\" \\"/opt/tokenledger/bin/tokenledger.js\\" hook run",',
        '            "timeout": 10',
        '          }',
        '        ]',
        '      }',
        '    ]',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
  });

  it("keeps every other setting and other tools' hooks, appending ours after theirs", () => {
    const before = otherTools();
    const { settings } = installHooks(before, COMMAND);
    expect(settings).toEqual({
      model: 'opus',
      permissions: { allow: ['Bash(npm test)'] },
      hooks: {
        PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: 'guard.sh', timeout: 5 }] }],
        SessionEnd: [{ hooks: [{ type: 'command', command: 'other-tool flush' }] }, { hooks: [ours(1)] }],
        SessionStart: [{ hooks: [ours(10)] }],
      },
    });
    expect(before).toEqual(otherTools()); // the input is not mutated
  });

  it('changes nothing the second time', () => {
    const once = installHooks(otherTools(), COMMAND).settings;
    const twice = installHooks(once, COMMAND);
    expect(twice.changed).toBe(false);
    expect(twice.changes).toEqual({ SessionEnd: 'unchanged', SessionStart: 'unchanged' });
    expect(twice.settings).toEqual(once);
  });

  it('updates a moved command in place and drops duplicates of it', () => {
    const old = hookCommand(NODE, '/old/checkout/bin/tokenledger.js');
    const settings: Settings = {
      hooks: {
        SessionEnd: [{ hooks: [{ type: 'command', command: 'other-tool flush' }, ours(1, old)] }, { hooks: [ours(1, old)] }],
        SessionStart: [{ hooks: [ours(30, old)] }],
      },
    };
    const result = installHooks(settings, COMMAND);
    expect(result.changes).toEqual({ SessionEnd: 'updated', SessionStart: 'updated' });
    expect(result.settings).toEqual({
      hooks: {
        SessionEnd: [{ hooks: [{ type: 'command', command: 'other-tool flush' }, ours(1)] }],
        SessionStart: [{ hooks: [ours(10)] }],
      },
    });
  });

  it('refuses a `hooks` of the wrong shape, naming the field', () => {
    expect(hookShapeProblem({ hooks: [] })).toEqual({ field: 'hooks', detail: 'expected an object of event names, found an array' });
    expect(hookShapeProblem({ hooks: { SessionEnd: {} } })?.field).toBe('hooks.SessionEnd');
    expect(hookShapeProblem({ hooks: { SessionStart: [{ hooks: [] }, 'x'] } })?.field).toBe('hooks.SessionStart[1]');
    expect(hookShapeProblem({ hooks: { SessionEnd: [{ hooks: 'x' }] } })?.field).toBe('hooks.SessionEnd[0].hooks');
    expect(hookShapeProblem({ hooks: { PreToolUse: 'not ours to judge' } })).toBeUndefined();
    expect(() => installHooks({ hooks: { SessionEnd: {} } }, COMMAND)).toThrow(/hooks\.SessionEnd/);
  });
});

describe('uninstallHooks', () => {
  it('takes out our handlers and only the containers that left empty', () => {
    const settings: Settings = {
      hooks: {
        Stop: [],
        SessionEnd: [{ hooks: [{ type: 'command', command: 'other-tool flush' }, ours(1)] }, { hooks: [] }],
        SessionStart: [{ hooks: [ours(10)] }],
      },
    };
    const result = uninstallHooks(settings);
    expect(result.removed).toEqual({ SessionEnd: 1, SessionStart: 1 });
    // The other tool's handler stays in its group; the group that was already empty stays too.
    expect(result.settings).toEqual({ hooks: { Stop: [], SessionEnd: [{ hooks: [{ type: 'command', command: 'other-tool flush' }] }, { hooks: [] }] } });
  });

  it('removes `hooks` when our events were all it held', () => {
    const result = uninstallHooks(installHooks({ model: 'opus' }, COMMAND).settings);
    expect(result.settings).toEqual({ model: 'opus' });
  });

  it('leaves a file without our hooks alone, even its empty containers', () => {
    const settings: Settings = { hooks: { SessionEnd: [] } };
    expect(uninstallHooks(settings)).toEqual({ settings, removed: { SessionEnd: 0, SessionStart: 0 }, changed: false });
    expect(uninstallHooks({})).toEqual({ settings: {}, removed: { SessionEnd: 0, SessionStart: 0 }, changed: false });
  });
});

describe('install then uninstall, surgically, on files as JSON.stringify writes them', () => {
  const base = otherTools();
  const originals: Record<string, string> = {
    '2 spaces': `${JSON.stringify(base, null, 2)}\n`,
    '4 spaces': `${JSON.stringify(base, null, 4)}\n`,
    tabs: `${JSON.stringify(base, null, '\t')}\n`,
    'no trailing newline': JSON.stringify(base, null, 2),
    'minified on one line': JSON.stringify(base),
    'CRLF line endings': `${JSON.stringify(base, null, 2).replace(/\n/g, '\r\n')}\r\n`,
    'hooks for other events only': `${JSON.stringify({ hooks: { PreToolUse: GATE } }, null, 2)}\n`,
    'no hooks at all': `${JSON.stringify({ model: 'opus', env: { FOO: '1' } }, null, 2)}\n`,
    'an empty object': '{}\n',
  };

  for (const [name, text] of Object.entries(originals)) {
    it(`gives back the same bytes: ${name}`, () => {
      const format = detectFormat(text);
      const installed = serializeSettings(installHooks(parseSettings(text, 'settings.json'), COMMAND).settings, format);
      expect(findHooks(parseSettings(installed, 'settings.json')).SessionEnd).toEqual([{ command: COMMAND, timeout: 1 }]);
      expect(serializeSettings(installHooks(parseSettings(installed, 'settings.json'), COMMAND).settings, detectFormat(installed))).toBe(installed);
      const restored = serializeSettings(uninstallHooks(parseSettings(installed, 'settings.json')).settings, detectFormat(installed));
      expect(restored).toBe(text);
    });
  }
});

describe('hookCommandPaths', () => {
  it('finds node and the script before `hook run`', () => {
    expect(hookCommandPaths(COMMAND)).toEqual({ node: NODE, script: SCRIPT });
    expect(hookCommandPaths(hookCommand('/n o/node', '/a "b"/tokenledger.js'))).toEqual({ node: '/n o/node', script: '/a "b"/tokenledger.js' });
    expect(hookCommandPaths("cd /x && node '/y/tokenledger.js' hook run")).toEqual({ node: undefined, script: '/y/tokenledger.js' });
  });

  it('names no path for a command found on PATH', () => {
    expect(hookCommandPaths('tokenledger hook run')).toEqual({ node: undefined, script: undefined });
    expect(hookCommandPaths('npx tokenledger hook run')).toEqual({ node: undefined, script: undefined });
  });

  it('splits words as a shell would, without expanding anything', () => {
    expect(shellWords(`a  "b c" 'd "e"' f\\ g "h\\$i\\j" ''`)).toEqual(['a', 'b c', 'd "e"', 'f g', 'h$i\\j', '']);
    expect(shellQuote('it\'s $HOME')).toBe('"it\'s \\$HOME"');
  });
});
