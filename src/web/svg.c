/* svg.c - trend lines with interval bands and dot charts with whiskers. */
#include "web/svg.h"

#include <math.h>
#include <string.h>

static const char *const palette[] = {"#0b4f8a", "#b35900", "#1f7a3a", "#8a1c7c",
                                      "#5c5c5c", "#a30d0d", "#00707a", "#6b4c00"};

static void esc(struct buf *b, const char *s)
{
	buf_html_escape(b, s ? s : "", s ? strlen(s) : 0);
}

static void open_svg(struct buf *b, const char *id, double w, double h, const char *title,
                     const char *desc)
{
	buf_printf(b,
	           "<svg class=\"chart\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" "
	           "aria-labelledby=\"%s-t %s-d\" xmlns=\"http://www.w3.org/2000/svg\" "
	           "font-family=\"sans-serif\" font-size=\"12\">",
	           w, h, id, id);
	buf_printf(b, "<title id=\"%s-t\">", id);
	esc(b, title);
	buf_printf(b, "</title><desc id=\"%s-d\">", id);
	esc(b, desc);
	buf_puts(b, "</desc>");
}

void svg_trend(struct buf *b, const char *id, const char *title, const char *desc,
               const char *const *xlabel, int nx, const struct svg_series *s, int ns)
{
	const double W = 420, H = 240, L = 40, R = 110, T = 12, B = 30;
	double pw = W - L - R, ph = H - T - B;
	open_svg(b, id, W, H, title, desc);
	for (int k = 0; k <= 4; k++) { /* grid at 0, 25, ..., 100% */
		double y = T + ph - ph * k / 4.0;
		buf_printf(
		    b,
		    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#c8c8c8\" "
		    "stroke-width=\"1\"/><text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" "
		    "fill=\"#4a4a4a\">%d%%</text>",
		    L, y, L + pw, y, L - 4, y + 4, k * 25);
	}
#define XPOS(i) (nx > 1 ? L + pw * (i) / (nx - 1) : L + pw / 2)
#define YPOS(v) (T + ph - ph * (v))
	for (int i = 0; i < nx; i++) {
		buf_printf(b,
		           "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"#4a4a4a\">",
		           XPOS(i), H - 10);
		esc(b, xlabel[i]);
		buf_puts(b, "</text>");
	}
	for (int k = 0; k < ns; k++) {
		const char *col = palette[k % 8];
		/* the band: upper limits left to right, lower ones back */
		struct buf band;
		buf_init(&band);
		int pts = 0;
		for (int i = 0; i < nx; i++)
			if (isfinite(s[k].y[i]) && isfinite(s[k].hi[i])) {
				buf_printf(&band, "%.1f,%.1f ", XPOS(i), YPOS(s[k].hi[i]));
				pts++;
			}
		for (int i = nx - 1; i >= 0; i--)
			if (isfinite(s[k].y[i]) && isfinite(s[k].lo[i]))
				buf_printf(&band, "%.1f,%.1f ", XPOS(i), YPOS(s[k].lo[i]));
		if (pts > 1)
			buf_printf(b, "<polygon points=\"%s\" fill=\"%s\" fill-opacity=\"0.15\"/>",
			           band.data, col);
		buf_clear(&band);
		buf_printf(b, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"",
		           col);
		double lx = NAN, ly = NAN;
		for (int i = 0; i < nx; i++)
			if (isfinite(s[k].y[i])) {
				buf_printf(b, "%.1f,%.1f ", XPOS(i), YPOS(s[k].y[i]));
				lx = XPOS(i);
				ly = YPOS(s[k].y[i]);
			}
		buf_puts(b, "\"/>");
		for (int i = 0; i < nx; i++)
			if (isfinite(s[k].y[i])) {
				buf_printf(b,
				           "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\">",
				           XPOS(i), YPOS(s[k].y[i]), col);
				buf_puts(b, "<title>");
				esc(b, s[k].label);
				buf_printf(b, ": %.0f%%</title></circle>", s[k].y[i] * 100);
			}
		if (isfinite(lx)) {
			buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" fill=\"%s\">", lx + 6,
			           ly + 4 + 12.0 * (k % 3 - 1) * (ns > 3), col);
			esc(b, s[k].label);
			buf_puts(b, "</text>");
		}
	}
#undef XPOS
#undef YPOS
	buf_puts(b, "</svg>");
}

void svg_dots(struct buf *b, const char *id, const char *title, const char *desc,
              const struct svg_dot *d, int n, double ref, const char *ref_label, double min,
              double max, int percent)
{
	const double W = 420, L = 150, R = 16, T = 22, row = 22, B = 26;
	double H = T + row * (n > 0 ? n : 1) + B, pw = W - L - R;
	open_svg(b, id, W, H, title, desc);
#define X(v) (L + pw * (((v) < min ? min : (v) > max ? max : (v)) - min) / (max - min))
	for (int k = 0; k <= 4; k++) {
		double v = min + (max - min) * k / 4.0, x = X(v);
		buf_printf(
		    b,
		    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e0e0e0\"/>"
		    "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"#4a4a4a\">",
		    x, T, x, H - B, x, H - 8);
		if (percent)
			buf_printf(b, "%.0f%%</text>", v * 100);
		else
			buf_printf(b, "%.2g</text>", v);
	}
	if (isfinite(ref)) {
		buf_printf(
		    b,
		    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#1a1a1a\" "
		    "stroke-dasharray=\"4 3\"/><text x=\"%.1f\" y=\"%.1f\" "
		    "text-anchor=\"middle\" fill=\"#1a1a1a\">",
		    X(ref), T - 4, X(ref), H - B, X(ref), T - 8);
		esc(b, ref_label);
		buf_puts(b, "</text>");
	}
	for (int i = 0; i < n; i++) {
		double y = T + row * i + row / 2;
		buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" fill=\"#1a1a1a\">",
		           L - 8, y + 4);
		esc(b, d[i].label);
		buf_puts(b, "</text>");
		if (!isfinite(d[i].v)) {
			buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" fill=\"#4a4a4a\">–</text>",
			           L + 4, y + 4);
			continue;
		}
		if (isfinite(d[i].lo) && isfinite(d[i].hi))
			buf_printf(b,
			           "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
			           "stroke=\"#0b4f8a\" stroke-width=\"2\"/>",
			           X(d[i].lo), y, X(d[i].hi), y);
		buf_printf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4.5\" fill=\"#0b4f8a\"/>",
		           X(d[i].v), y);
	}
#undef X
	buf_puts(b, "</svg>");
}
