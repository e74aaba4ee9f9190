/**
 * Shown instead of raw XML when a person opens an RSS or Atom feed in a browser; readers ignore
 * it. Plain XSLT 1.0, which browsers apply natively; styles come from /style.css.
 */
export const FEED_XSL = `<?xml version="1.0" encoding="utf-8"?>
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:atom="http://www.w3.org/2005/Atom">
<xsl:output method="html" encoding="utf-8" doctype-system="about:legacy-compat"/>
<xsl:template match="/">
<xsl:variable name="title" select="(/rss/channel/title | /atom:feed/atom:title)[1]"/>
<xsl:variable name="home" select="(/rss/channel/link | /atom:feed/atom:link[@rel='alternate']/@href)[1]"/>
<xsl:variable name="self" select="(/rss/channel/atom:link[@rel='self']/@href | /atom:feed/atom:link[@rel='self']/@href)[1]"/>
<html lang="en">
<head>
<meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"/>
<title><xsl:value-of select="$title"/> (feed)</title>
<link rel="stylesheet" href="/style.css"/>
</head>
<body>
<header class="site"><div class="wrap"><a class="brand" href="{$home}"><xsl:value-of select="$title"/></a></div></header>
<main class="wrap">
<section class="feeds">
<h2>This is a web feed</h2>
<p>Subscribe by copying this address into your feed reader: <code><xsl:value-of select="$self"/></code></p>
</section>
<h1><xsl:value-of select="$title"/></h1>
<ol class="entries">
<xsl:for-each select="/rss/channel/item | /atom:feed/atom:entry">
<li>
<h2><a href="{link | atom:link[@rel='alternate']/@href}"><xsl:value-of select="title | atom:title"/></a></h2>
<p class="meta"><xsl:value-of select="pubDate | atom:published"/></p>
<p><xsl:value-of select="description | atom:summary"/></p>
</li>
</xsl:for-each>
</ol>
</main>
</body>
</html>
</xsl:template>
</xsl:stylesheet>
`
