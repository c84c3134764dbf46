/**
 * Aggregates -> everything the site's templates show (pure): page data, Vega-Lite specs and the
 * download files. The templates in `site/` only lay this out; they compute nothing.
 */
import type { Experiment } from '../aggregate/experiments.js';
import type { AggregatePartial } from '../aggregate/index.js';
import type { Chart } from './chart.js';
import { createContext, type SiteOptions } from './context.js';
import { dataFiles, type DataFiles } from './pages/data.js';
import { developersPage, type DevelopersPage } from './pages/developers.js';
import { modelsPage, type ModelsPage } from './pages/models.js';
import { overviewPage, type OverviewPage } from './pages/overview.js';
import { phasesPage, type PhasesPage } from './pages/phases.js';
import { repositoryPages, type RepositoryPage } from './pages/repositories.js';
import { recentSessions, sessionListItem, sessionPage, type SessionListItem, type SessionPage } from './pages/sessions.js';
import { experimentPage, type ExperimentPage } from './pages/strategies.js';

export interface SiteModel {
  meta: {
    title: string;
    generatedAt: string;
    timezone: string;
    developers: SiteOptions['developers'];
    priceTables: string[];
    sessions: number;
    repositories: number;
    duplicateSessions: number;
    invalidFiles: number;
  };
  nav: { url: string; label: string }[];
  overview: OverviewPage;
  repositories: RepositoryPage[];
  developers: DevelopersPage | null;
  /** The developers page as a list of none or one, so the template makes no page when off. */
  developerPages: DevelopersPage[];
  models: ModelsPage;
  phases: PhasesPage;
  strategies: ExperimentPage[];
  sessions: { recent: SessionListItem[]; pages: SessionPage[] };
  data: { rows: number; files: { name: string; url: string; description: string }[] };
}

export interface BuiltModel {
  model: SiteModel;
  /** Every chart of every page, for rendering to SVG. */
  charts: Chart[];
  files: DataFiles;
}

export function buildSiteModel(partial: AggregatePartial, experiments: Experiment[], options: SiteOptions): BuiltModel {
  const context = createContext(partial, experiments, options);
  const repositories = repositoryPages(context);
  const recent = recentSessions(partial.sessions);
  const pageIds = new Set(recent.map((row) => row.id));
  for (const repository of repositories) for (const session of repository.recentSessions) pageIds.add(session.id);
  const sessionPages = partial.sessions.filter((row) => pageIds.has(row.id)).map((row) => sessionPage(context, row));
  const developers = developersPage(context);
  const files = dataFiles(context);
  const model: SiteModel = {
    meta: {
      title: options.title,
      generatedAt: options.now.toISOString(),
      timezone: options.timezone,
      developers: options.developers,
      priceTables: partial.priceTables,
      sessions: partial.sessions.length,
      repositories: context.repositories.length,
      duplicateSessions: partial.duplicateSessions,
      invalidFiles: partial.sources.reduce((sum, source) => sum + source.invalidFiles, 0),
    },
    nav: [
      { url: '/', label: 'Overview' },
      { url: '/repositories/', label: 'Repositories' },
      ...(developers ? [{ url: '/developers/', label: 'Developers' }] : []),
      { url: '/models/', label: 'Models and cost' },
      { url: '/phases/', label: 'Phases and tools' },
      { url: '/strategies/', label: 'Strategies' },
      { url: '/sessions/', label: 'Sessions' },
      { url: '/data/', label: 'Data' },
    ],
    overview: overviewPage(context),
    repositories,
    developers,
    developerPages: developers ? [developers] : [],
    models: modelsPage(context),
    phases: phasesPage(context),
    strategies: experiments.map((experiment) => experimentPage(context, experiment)),
    sessions: { recent: recent.map((row) => sessionListItem(context, row)), pages: sessionPages },
    data: {
      rows: files.rows.length,
      files: [
        { name: 'daily.csv', url: '/data/daily.csv', description: 'Daily aggregates by day, repository, model and agent (CSV, UTF-8, RFC 4180).' },
        { name: 'daily.json', url: '/data/daily.json', description: 'The same rows as JSON (`tokenledger.daily/1`).' },
      ],
    },
  };
  const charts = [
    ...model.overview.charts,
    ...repositories.flatMap((page) => [page.sparkline, ...page.charts]),
    ...(developers?.charts ?? []),
    ...model.models.charts,
    ...model.phases.charts,
    ...model.strategies.flatMap((page) => page.charts),
    ...sessionPages.flatMap((page) => page.charts),
  ];
  return { model, charts, files };
}
