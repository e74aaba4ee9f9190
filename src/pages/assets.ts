/** Static assets of the pages. */

/** The one stylesheet: readable on a phone and a desktop, light and dark, no web fonts. */
export const STYLE = `
:root{color-scheme:light dark;--bg:#fdfdfc;--fg:#1d1d1f;--muted:#5f6368;--line:#dadce0;--accent:#0b57d0;--tag:#eef2f8}
@media (prefers-color-scheme:dark){:root{--bg:#15171a;--fg:#e8eaed;--muted:#a5abb3;--line:#3c4043;--accent:#8ab4f8;--tag:#23282f}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:1.0625rem/1.6 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
a{color:var(--accent);text-underline-offset:.15em}
a:focus-visible{outline:2px solid var(--accent);outline-offset:2px}
.wrap{max-width:44rem;margin:0 auto;padding:0 1rem}
header.site{border-bottom:1px solid var(--line);padding:.75rem 0}
header.site .wrap{display:flex;flex-wrap:wrap;gap:.5rem 1.25rem;align-items:baseline}
header.site .brand{font-weight:700;font-size:1.15rem;color:var(--fg);text-decoration:none}
nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1rem}
main{padding:1.5rem 0 2rem}
h1{font-size:1.75rem;line-height:1.25;margin:.25rem 0 .75rem}
h2{font-size:1.3rem;line-height:1.3;margin:1.75rem 0 .5rem}
article h2,article h3{scroll-margin-top:1rem}
.meta,.muted{color:var(--muted);font-size:.925rem}
.meta{margin:0 0 1rem}
ol.entries{list-style:none;margin:0;padding:0}
ol.entries>li{padding:1rem 0;border-bottom:1px solid var(--line)}
ol.entries h2,ol.entries h3{font-size:1.2rem;margin:0 0 .25rem}
ol.entries p{margin:.25rem 0}
ul.topics{list-style:none;margin:.5rem 0;padding:0;display:flex;flex-wrap:wrap;gap:.4rem}
ul.topics a{display:inline-block;padding:.1rem .6rem;border-radius:1rem;background:var(--tag);text-decoration:none;font-size:.9rem}
.body img,.cover img{max-width:100%;height:auto}
.cover{margin:1rem 0}
ol.entries article{display:flow-root}
.thumb{float:right;width:7rem;height:4.5rem;object-fit:cover;margin:0 0 .5rem 1rem;border-radius:.25rem}
.body pre{overflow-x:auto;padding:.75rem;background:var(--tag);border-radius:.25rem}
.body blockquote{margin:1rem 0;padding-left:1rem;border-left:3px solid var(--line);color:var(--muted)}
table{border-collapse:collapse}td,th{border:1px solid var(--line);padding:.25rem .5rem}
code{overflow-wrap:anywhere}
.feeds{margin:1.5rem 0 0;padding:.75rem 1rem;border:1px solid var(--line);border-radius:.5rem}
.feeds h2{font-size:1rem;margin:0 0 .25rem}
.pager{margin:1.25rem 0}
form.search{display:flex;gap:.4rem;margin:0 0 0 auto}
form.search input{font:inherit;font-size:.95rem;padding:.2rem .5rem;border:1px solid var(--line);border-radius:.25rem;background:var(--bg);color:var(--fg);min-width:0;width:12rem}
form.search button{font:inherit;font-size:.9rem;padding:.2rem .6rem;border:1px solid var(--line);border-radius:.25rem;background:var(--tag);color:var(--fg)}
main form.search{margin:0 0 1rem}
mark{background:#fde68a;color:#1d1d1f;padding:0 .1em;border-radius:.15em}
.hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
footer.site{border-top:1px solid var(--line);padding:1rem 0 2rem}
`

/** The site icon: a feed symbol, so browsers do not ask for a missing /favicon.ico. */
export const FAVICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#0b57d0"/><circle cx="4.5" cy="11.5" r="1.5" fill="#fff"/><path d="M3 7.5a5.5 5.5 0 0 1 5.5 5.5M3 3.5a9.5 9.5 0 0 1 9.5 9.5" stroke="#fff" stroke-width="2" fill="none"/></svg>`
