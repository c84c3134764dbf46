/**
 * The `tokenledger` command: a thin shell over the library. Each command's module is loaded only
 * when that command runs, so a quick command does not pay for the others' start-up.
 */
import { Command, Option } from 'commander';
import { TOKENLEDGER_VERSION } from '../version.js';
import { UserFacingError } from '../errors.js';

const program = new Command('tokenledger')
  .description('Exact token and cost accounting for AI coding agents.')
  .version(TOKENLEDGER_VERSION)
  .showHelpAfterError('(run with --help for usage)');

program
  .command('report')
  .description('Usage on this machine from the agents\' logs, grouped by day, week, month, session, project, model or phase.')
  .argument('<kind>', 'daily | weekly | monthly | session | project | model | phase')
  .option('--json', 'print JSON (a stable interface, see the README)')
  .option('--since <YYYY-MM-DD>', 'first local day to include')
  .option('--until <YYYY-MM-DD>', 'last local day to include')
  .option('--timezone <IANA>', 'time zone for days, weeks and months (default: this machine\'s)')
  .addOption(new Option('--agent <agent>', 'which agent\'s logs to read').choices(['claude', 'claude-code', 'codex', 'gemini', 'opencode', 'otel', 'all']).default('all'))
  .option('--otel <paths>', 'also read Claude Code OpenTelemetry exports: OTLP/JSON files or folders, comma-separated (default: $TOKENLEDGER_OTEL_EXPORTS)')
  .option('--no-cache', 'read every transcript afresh instead of only what is new')
  .addHelpText(
    'after',
    '\nLogs are read from $CLAUDE_CONFIG_DIR (comma-separated; default ~/.config/claude and ~/.claude),\n' +
      '$CODEX_HOME (default ~/.codex), ~/.gemini/tmp (Gemini CLI) and $XDG_DATA_HOME/opencode (default\n' +
      '~/.local/share/opencode). The read cache lives in $XDG_CACHE_HOME/tokenledger (default ~/.cache).\n' +
      'OpenTelemetry exports (--otel or $TOKENLEDGER_OTEL_EXPORTS) are joined to the transcripts by request id: a call counts once.',
  )
  .action(async (kind: string, flags) => (await import('./commands/report.js')).runReport(kind, flags));

program
  .command('summarize')
  .description('Summarize one session transcript (with its subagents); with --dry-run, exactly what capture would commit.')
  .argument('<transcript>', 'a Claude Code <session>.jsonl or a Codex rollout-*.jsonl')
  .option('--json', 'print the summary JSON (schema tokenledger.session/1)')
  .option('--dry-run', 'show exactly what capture would commit for this repository (anonymized, with strategies and commits); writes nothing')
  .option('--repo <dir>', 'with --dry-run: the repository (default: the current folder)')
  .action(async (transcript: string, flags) => (await import('./commands/summarize.js')).runSummarize(transcript, flags));

// `hook install|uninstall|status` manage the Claude Code hooks; `hook run` is what they call.
const hook = program.command('hook').description('The Claude Code session hooks that capture every session.');
const scopeOption = () =>
  new Option('--scope <scope>', 'which Claude Code settings file: user ($CLAUDE_CONFIG_DIR or ~/.claude), project (.claude/settings.json) or local (.claude/settings.local.json)')
    .choices(['user', 'project', 'local'])
    .default('user');

hook
  .command('install')
  .description('Add the SessionEnd (capture) and SessionStart (sweep) hooks to a Claude Code settings file.')
  .addOption(scopeOption())
  .action(async (flags) => (await import('./commands/hook-settings.js')).runHookInstall(flags));

hook
  .command('uninstall')
  .description('Remove what hook install added; an otherwise unchanged file is restored byte for byte.')
  .addOption(scopeOption())
  .action(async (flags) => (await import('./commands/hook-settings.js')).runHookUninstall(flags));

hook
  .command('status')
  .description('Which hooks are installed in each scope\'s settings file, and whether their command still works.')
  .option('--json', 'print JSON')
  .action(async (flags) => (await import('./commands/hook-settings.js')).runHookStatus(flags));

hook
  .command('run')
  .description('What the hooks run: reads the hook JSON on stdin; always exits 0 and prints nothing.')
  .action(async () => (await import('./commands/hook-run.js')).runHook());

hook
  .command('push', { hidden: true })
  .description('Push the data branch (run detached after a capture).')
  .option('--repo <dir>', 'the repository (default: the current folder)')
  .action(async (flags) => (await import('./commands/sync.js')).runHookPush(flags));

program
  .command('sync')
  .description('Capture this repository\'s sessions that have no summary or a stale one, then push the data branch.')
  .option('--repo <dir>', 'the repository (default: the current folder)')
  .option('--quiet', 'print nothing (the SessionStart sweep)')
  .addOption(new Option('--exclude-session <id>', 'leave this (running) session alone').hideHelp())
  .addOption(new Option('--transcript <file...>', 'also capture these transcripts (what the hook hands over)').hideHelp())
  .addOption(new Option('--captured-by <how>', 'recorded in the summaries').choices(['hook', 'sweep']).hideHelp())
  .action(async (flags) => (await import('./commands/sync.js')).runSync(flags));

program
  .command('backfill')
  .description('Capture every past session of this repository still on this machine (idempotent), then push.')
  .option('--repo <dir>', 'the repository (default: the current folder)')
  .option('--since <YYYY-MM-DD>', 'only transcripts modified on or after this day')
  .action(async (flags) => (await import('./commands/sync.js')).runBackfill(flags));

program
  .command('doctor')
  .description('Check capture: hooks installed where, last runs and failures, unpushed summaries, uncaptured sessions, the remote; and Claude Code\'s stats cache against the transcripts.')
  .option('--repo <dir>', 'the repository (default: the current folder)')
  .option('--json', 'print JSON')
  .action(async (flags) => (await import('./commands/doctor.js')).runDoctor(flags));

const siteOptions = (command: Command) =>
  command
    .option('--path-prefix <prefix>', 'URL path the site is served under (project Pages: /<repository>/)', '/')
    .option('--title <title>', 'site title', 'tokenledger')
    .option('--timezone <zone>', 'IANA time zone of days and times (default: the partial\'s)')
    .addOption(new Option('--developers <mode>', 'pseudonymous distributions, or off').choices(['pseudonymous', 'off']).default('pseudonymous'))
    .option('--min-group-size <n>', 'hide groups with fewer developers', '3')
    .option('--window-days <n>', 'days before and after a strategy start that are compared', '14')
    .option('--min-sessions <n>', 'sessions an arm needs for an estimate', '20')
    .addOption(new Option('--now <date>', 'the site\'s today').hideHelp());

siteOptions(
  program
    .command('aggregate')
    .description('Aggregate the data branches of local clones into a partial file (what the Action\'s partial step builds), and optionally build the site from it.')
    .argument('[repositories...]', 'local repository folders (default: this one)')
    .option('--out <file>', 'the partial file to write', 'tokenledger-partial.json')
    .option('--data-branch <branch>', 'the branch summaries are committed to (local, else origin/<branch>)', 'token-data')
    .option('--site <dir>', 'also build the site into this folder'),
).action(async (repositories: string[], flags) => (await import('./commands/aggregate.js')).runAggregate(repositories, flags));

const site = program.command('site').description('The team site (Eleventy + Vega-Lite) from aggregated summaries.');
siteOptions(
  site
    .command('build')
    .description('Build the static site from a partial (the Action\'s partial-file).')
    .argument('<partial>', 'a tokenledger.partial/2 JSON file')
    .option('--out <dir>', 'output folder (emptied first)', '_site'),
).action(async (partial: string, flags) => {
  await (await import('./commands/site.js')).runSiteBuild(partial, flags);
});
site
  .command('serve')
  .description('Serve a built site on localhost.')
  .argument('[dir]', 'the built site', '_site')
  .option('--port <port>', 'port ($PORT, else 8080)', process.env.PORT ?? '8080')
  .option('--path-prefix <prefix>', 'the prefix the site was built with', '/')
  .action(async (dir: string, flags) => (await import('./commands/site.js')).runSiteServe(dir, flags));

siteOptions(
  program
    .command('demo')
    .description('Build the team site from a generated demo team (8 repositories, 25 developers, 180 days) and serve it.')
    .option('--out <dir>', 'where the demo site is built', '.demo-site')
    .option('--port <port>', 'port ($PORT, else 8080)', process.env.PORT ?? '8080')
    .option('--no-serve', 'build only'),
).action(async (flags) => (await import('./commands/demo.js')).runDemo(flags));

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.stderr.write(`tokenledger: ${error instanceof UserFacingError ? error.message : (error as Error)?.stack ?? String(error)}\n`);
  process.exitCode = 1;
}
