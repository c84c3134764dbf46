/**
 * `tokenledger demo`: the team site built from the generated demo team (fixtures/demo-team: 8
 * repositories, 25 developers, 180 days, three experiments with planted effects), through the
 * same aggregate, experiment and site code as a real night, then served on localhost.
 */
import { buildDemoPartial, generateDemoTeam } from '../../../fixtures/demo-team/generate.js';
import { buildSite } from '../../site/build.js';
import { TOKENLEDGER_VERSION } from '../../version.js';
import { judgeWithFlags, runSiteServe, siteOptions, type SiteFlags } from './site.js';

export interface DemoFlags extends SiteFlags {
  port: string;
  serve: boolean;
}

export async function runDemo(flags: DemoFlags): Promise<void> {
  const options = siteOptions({ ...flags, title: flags.title === 'tokenledger' ? 'tokenledger demo team' : flags.title }, flags.timezone ?? 'UTC');
  // The demo ends "now", so its dates look current; the generator's own default is fixed for tests.
  const team = generateDemoTeam({ now: options.now });
  const partial = buildDemoPartial(team, { timezone: options.timezone, builtBy: TOKENLEDGER_VERSION });
  const built = await buildSite(partial, judgeWithFlags(partial, flags), options);
  process.stderr.write(`tokenledger: demo site with ${partial.sessions.length} sessions: ${built.pages} pages, ${built.charts} charts in ${built.outDir}\n`);
  if (flags.serve) await runSiteServe(built.outDir, { port: flags.port, pathPrefix: options.pathPrefix });
}
