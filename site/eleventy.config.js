// Eleventy wiring for the team site: folders and filters only. The data (`tl`) and plugins come
// from src/site/build.ts, which computes everything; templates only lay it out.
import filters from './_config/filters.js';

export default function (eleventyConfig) {
  eleventyConfig.addPlugin(filters);
}

export const config = {
  templateFormats: ['njk'],
  htmlTemplateEngine: 'njk',
  dir: { includes: '_includes', data: '_data' },
};
