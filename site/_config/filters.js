// Template filters. Plain functions without imports: this file is loaded at build time by
// Eleventy, also from the Action's single-file bundle where no node_modules exist.
export default function (eleventyConfig) {
  /** "up" | "down" | "flat" and whether up is good (null: neither) -> the card's CSS class. */
  eleventyConfig.addFilter('tone', (direction, upIsGood) => {
    if (direction === 'flat' || upIsGood === null) return 'flat';
    return (direction === 'up') === Boolean(upIsGood) ? 'good' : 'bad';
  });
  eleventyConfig.addFilter('arrow', (direction) => (direction === 'up' ? '▲' : direction === 'down' ? '▼' : '■'));
  eleventyConfig.addFilter('verdictClass', (verdict) => (verdict < 0 ? 'good' : verdict > 0 ? 'bad' : 'flat'));
}
