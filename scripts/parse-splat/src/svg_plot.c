/* SPDX-License-Identifier: MIT */
/*
 * svg_plot.c - plot.svg (report.h): per boot, cumulative events over uptime
 * with the workload beneath.  Plain SVG 1.1, no scripts, no external refs.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "splat/bundle.h"
#include "splat/compare.h"
#include "splat/report.h"

#define W 960
#define LEFT                                                                   \
	130 /* room for the longest op lane label, e.g. probe-scan-5g-multi */
#define RIGHT	  20
#define PLOT_W	  (W - LEFT - RIGHT)
#define PLOT_H	  170
#define LANE_H	  12
#define PANEL_GAP 46

static const char *const palette[] = {"#1f77b4", "#ff7f0e", "#2ca02c",
				      "#9467bd", "#17becf", "#bcbd22",
				      "#e377c2", "#7f7f7f"};

static void xml_text(FILE *out, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		switch (c) {
		case '<':
			fputs("&lt;", out);
			break;
		case '>':
			fputs("&gt;", out);
			break;
		case '&':
			fputs("&amp;", out);
			break;
		case '"':
			fputs("&quot;", out);
			break;
		case '\'':
			fputs("&apos;", out);
			break;
		default:
			/* XML 1.0 forbids most control characters */
			fputc(c < 0x20 ? ' ' : c, out);
		}
	}
}

static const char *series_colour(const char *series, char *const *names,
				 size_t n)
{
	if (!strcmp(series, "lockdep"))
		return "#d62728";
	if (!strcmp(series, "lockdep-off"))
		return "#000000";
	if (!strcmp(series, "bug"))
		return "#8c564b";
	/* names[0..2] are lockdep, lockdep-off, bug (fixed colours above) */
	for (size_t i = 3; i < n; i++)
		if (!strcmp(series, names[i]))
			return palette[(i - 3) %
				       (sizeof(palette) / sizeof(palette[0]))];
	return "#7f7f7f";
}

static int outcome_rank(const char *oc)
{
	static const char *const order[] = {"ok", "busy", "refused", "timeout",
					    "failed"};

	for (int i = 0; i < 5; i++)
		if (!strcmp(oc, order[i]))
			return i;
	return 4;
}

static const char *const outcome_colour[] = {"#2ca02c", "#f2c744", "#ff7f0e",
					     "#9467bd", "#d62728"};
static const char *const outcome_name[] = {"ok", "busy", "refused", "timeout",
					   "failed/other"};

struct names {
	char **v;
	size_t n;
};

static void names_add(struct names *s, const char *x)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->v[i], x))
			return;
	char **n = realloc(s->v, (s->n + 1) * sizeof(*n));

	if (!n)
		return;
	s->v = n;
	if ((s->v[s->n] = strdup(x)))
		s->n++;
}

static void names_free(struct names *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
}

static double nice_step(double max)
{
	double raw = max / 4.0, p = pow(10, floor(log10(raw > 0 ? raw : 1)));

	for (int i = 0; i < 3; i++) {
		static const double m[] = {1, 2, 5};

		if (raw <= m[i] * p)
			return m[i] * p;
	}
	return 10 * p;
}

/* The unit of a time axis spanning span_usec: seconds below 10 min,
 * minutes below 2 h, else hours (never "0.01 h" ticks on a short run). */
static const char *time_unit(double span_usec, double *usec_per_unit)
{
	if (span_usec < 600e6) {
		*usec_per_unit = 1e6;
		return "s";
	}
	if (span_usec < 2 * 3.6e9) {
		*usec_per_unit = 60e6;
		return "min";
	}
	*usec_per_unit = 3.6e9;
	return "h";
}

/* One boot: events of b with boot == bi, over [t0, t1] usec. */
static int panel(FILE *out, const struct splat_bundle *b, unsigned bi,
		 int64_t t0, int64_t t1, int y0, const struct names *series,
		 const struct names *kinds)
{
	double span = (double)(t1 - t0);
	int lanes = 0;

	if (!(span > 0))
		span = 1;
	/* which op kinds ran in this boot */
	char *used = calloc(kinds->n ? kinds->n : 1, 1);

	for (size_t i = 0; used && i < b->n_ops; i++)
		if (b->ops[i].boot == bi)
			for (size_t k = 0; k < kinds->n; k++)
				if (!strcmp(kinds->v[k], b->ops[i].op))
					used[k] = 1;
	for (size_t k = 0; used && k < kinds->n; k++)
		lanes += used[k];

	/* max cumulative count over series */
	double maxc = 1;

	for (size_t s = 0; s < series->n; s++) {
		double c = 0;

		for (size_t i = 0; i < b->n_events; i++)
			if (b->events[i].boot == bi &&
			    !strcmp(b->events[i].series, series->v[s]))
				c += (double)b->events[i].count;
		if (c > maxc)
			maxc = c;
	}
	double step = nice_step(maxc);
	double ymax = ceil(maxc / step) * step;

	fprintf(out, "<g transform=\"translate(0,%d)\">\n", y0);
	fputs("<text x=\"70\" y=\"-8\" font-size=\"13\" font-weight=\"bold\">",
	      out);
	xml_text(out, splat_bundle_name(b));
	{
		char hb[32];

		fprintf(out, " — boot %u (%s)</text>\n", bi,
			splat_format_hours(span / 3.6e9, hb, sizeof(hb)));
	}
	fprintf(out,
		"<rect x=\"%d\" y=\"0\" width=\"%d\" height=\"%d\" "
		"fill=\"#ffffff\" stroke=\"#999999\"/>\n",
		LEFT, PLOT_W, PLOT_H);
	/* y grid */
	for (double v = 0; v <= ymax + 1e-9; v += step) {
		double y = PLOT_H - v / ymax * PLOT_H;

		fprintf(out,
			"<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" "
			"stroke=\"#e5e5e5\"/><text x=\"%d\" y=\"%.1f\" "
			"font-size=\"10\" text-anchor=\"end\">%g</text>\n",
			LEFT, y, LEFT + PLOT_W, y, LEFT - 4, y + 3, v);
	}
	fprintf(out,
		"<text x=\"14\" y=\"%d\" font-size=\"10\" "
		"transform=\"rotate(-90 14 %d)\" text-anchor=\"middle\">"
		"cumulative events</text>\n",
		PLOT_H / 2, PLOT_H / 2);
	/* series: step lines */
	for (size_t s = 0; s < series->n; s++) {
		double c = 0;
		int any = 0;
		const char *col =
			series_colour(series->v[s], series->v, series->n);

		for (size_t i = 0; i < b->n_events; i++) {
			const struct splat_bundle_event *e = &b->events[i];

			if (e->boot != bi || strcmp(e->series, series->v[s]))
				continue;
			double x = LEFT +
				   (double)(e->ts_usec - t0) / span * PLOT_W;

			if (x < LEFT)
				x = LEFT;
			if (x > LEFT + PLOT_W)
				x = LEFT + PLOT_W;
			if (!any) {
				fprintf(out,
					"<polyline fill=\"none\" stroke=\"%s\" "
					"stroke-width=\"1.8\" points=\"%d,%d",
					col, LEFT, PLOT_H);
				any = 1;
			}
			double yb = PLOT_H - c / ymax * PLOT_H;

			c += (double)e->count;
			double ya = PLOT_H - c / ymax * PLOT_H;

			fprintf(out, " %.1f,%.1f %.1f,%.1f", x, yb, x, ya);
			if (!strcmp(series->v[s], "lockdep") ||
			    !strcmp(series->v[s], "lockdep-off")) {
				/* mark the moment: lockdep is off after it */
				fprintf(out,
					"\"/>\n<line x1=\"%.1f\" y1=\"0\" "
					"x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" "
					"stroke-dasharray=\"4 3\"/>\n"
					"<text x=\"%.1f\" y=\"12\" font-size=\"10\" "
					"fill=\"%s\" text-anchor=\"%s\">%s at "
					"%.0f s</text>\n"
					"<polyline fill=\"none\" stroke=\"%s\" "
					"stroke-width=\"1.8\" points=\"%.1f,%.1f",
					x, x, PLOT_H, col,
					x + (x > LEFT + PLOT_W * 0.7 ? -4 : 4),
					col,
					x > LEFT + PLOT_W * 0.7 ? "end"
								: "start",
					strcmp(series->v[s], "lockdep")
						? "lockdep off"
						: "lockdep report",
					(double)e->ts_usec / 1e6, col, x, ya);
			}
		}
		if (any)
			fprintf(out, " %d,%.1f\"/>\n", LEFT + PLOT_W,
				PLOT_H - c / ymax * PLOT_H);
	}
	{
		int any_ev = 0;

		for (size_t i = 0; i < b->n_events && !any_ev; i++)
			any_ev = b->events[i].boot == bi;
		if (!any_ev)
			fprintf(out,
				"<text x=\"%d\" y=\"%d\" font-size=\"12\" "
				"fill=\"#555555\" text-anchor=\"middle\">no "
				"lockdep report, turn-off, bug or pattern line "
				"in this boot</text>\n",
				LEFT + PLOT_W / 2, PLOT_H / 2);
	}
	/* x axis: uptime in a unit that fits the span */
	double unit;
	const char *uname = time_unit(span, &unit);
	double hs = span / unit, h0 = (double)t0 / unit;
	/* about six ticks (nice_step aims at four) */
	double xs = nice_step(hs * 4.0 / 6.0);
	int ybase = PLOT_H + 6 + lanes * LANE_H;

	for (double v = ceil(h0 / xs - 1e-9) * xs; v <= h0 + hs + 1e-9;
	     v += xs) {
		double x = LEFT + (v - h0) / hs * PLOT_W;

		fprintf(out,
			"<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" "
			"stroke=\"#999999\"/><text x=\"%.1f\" y=\"%d\" "
			"font-size=\"10\" text-anchor=\"middle\">%g %s</text>\n",
			x, ybase, x, ybase + 4, x, ybase + 15,
			fabs(v) < xs * 1e-6 ? 0.0 : v, uname);
	}
	fprintf(out,
		"<text x=\"%d\" y=\"%d\" font-size=\"10\" "
		"text-anchor=\"end\">uptime</text>\n",
		LEFT + PLOT_W, ybase + 28);
	/* ops lanes, binned per pixel column, worst outcome wins */
	int lane = 0;

	for (size_t k = 0; used && k < kinds->n; k++) {
		if (!used[k])
			continue;
		int y = PLOT_H + 6 + lane * LANE_H;
		signed char bins[PLOT_W];

		memset(bins, -1, sizeof(bins));
		for (size_t i = 0; i < b->n_ops; i++) {
			const struct splat_bundle_op *o = &b->ops[i];

			if (o->boot != bi || strcmp(o->op, kinds->v[k]))
				continue;
			int xa = (int)((double)(o->start_usec - t0) / span *
				       PLOT_W);
			int xb = (int)((double)(o->end_usec - t0) / span *
				       PLOT_W);
			int r = outcome_rank(o->outcome);

			if (xa < 0)
				xa = 0;
			if (xb < xa)
				xb = xa;
			for (int x = xa; x <= xb && x < PLOT_W; x++)
				if (bins[x] < r)
					bins[x] = (signed char)r;
		}
		fprintf(out,
			"<text x=\"%d\" y=\"%d\" font-size=\"9\" "
			"text-anchor=\"end\">",
			LEFT - 4, y + 9);
		xml_text(out, kinds->v[k]);
		fputs("</text>\n", out);
		for (int x = 0; x < PLOT_W;) {
			int r = bins[x], e = x;

			while (e < PLOT_W && bins[e] == r)
				e++;
			if (r >= 0)
				fprintf(out,
					"<rect x=\"%d\" y=\"%d\" width=\"%d\" "
					"height=\"%d\" fill=\"%s\"/>\n",
					LEFT + x, y + 1, e - x, LANE_H - 2,
					outcome_colour[r]);
			x = e;
		}
		lane++;
	}
	fputs("</g>\n", out);
	free(used);
	return PLOT_H + 6 + lanes * LANE_H + 32;
}

void splat_report_svg(FILE *out, struct splat_bundle *const *b, size_t n)
{
	struct names series = {0}, kinds = {0};
	int height = 60;

	names_add(&series, "lockdep");
	names_add(&series, "lockdep-off");
	names_add(&series, "bug");
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < b[i]->n_events; j++)
			names_add(&series, b[i]->events[j].series);
		for (size_t j = 0; j < b[i]->n_ops; j++)
			names_add(&kinds, b[i]->ops[j].op);
	}
	/* panel heights need the lanes: lay out in a first pass */
	struct json_object *boots;
	int total = 0;

	for (size_t i = 0; i < n; i++) {
		boots = splat_jpath(b[i]->summary, "boots");
		size_t nb =
			boots && json_object_get_type(boots) == json_type_array
				? json_object_array_length(boots)
				: 0;

		for (size_t bi = 0; bi < nb; bi++) {
			int lanes = 0;

			for (size_t k = 0; k < kinds.n; k++) {
				int u = 0;

				for (size_t j = 0; j < b[i]->n_ops && !u; j++)
					u = b[i]->ops[j].boot == bi &&
					    !strcmp(b[i]->ops[j].op,
						    kinds.v[k]);
				lanes += u;
			}
			total += PLOT_H + 6 + lanes * LANE_H + 32 + PANEL_GAP;
		}
	}
	height += total + 20;
	fprintf(out,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" "
		"width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
		"font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n"
		"<title>cumulative events over uptime per boot, workload "
		"beneath</title>\n"
		"<rect width=\"100%%\" height=\"100%%\" fill=\"#fafafa\"/>\n",
		W, height, W, height);
	/* legend */
	int lx = LEFT;

	for (size_t s = 0; s < series.n; s++) {
		int seen = !strcmp(series.v[s], "lockdep");

		for (size_t i = 0; i < n && !seen; i++)
			for (size_t j = 0; j < b[i]->n_events && !seen; j++)
				seen = !strcmp(b[i]->events[j].series,
					       series.v[s]);
		if (!seen)
			continue;
		fprintf(out,
			"<rect x=\"%d\" y=\"12\" width=\"14\" height=\"4\" "
			"fill=\"%s\"/><text x=\"%d\" y=\"18\" "
			"font-size=\"11\">",
			lx, series_colour(series.v[s], series.v, series.n),
			lx + 18);
		xml_text(out, series.v[s]);
		fputs("</text>\n", out);
		lx += 30 + 7 * (int)strlen(series.v[s]);
	}
	lx = LEFT;
	fputs("<text x=\"10\" y=\"40\" font-size=\"11\">ops:</text>\n", out);
	for (int r = 0; r < 5; r++) {
		fprintf(out,
			"<rect x=\"%d\" y=\"31\" width=\"10\" height=\"10\" "
			"fill=\"%s\"/><text x=\"%d\" y=\"40\" "
			"font-size=\"11\">%s</text>\n",
			lx, outcome_colour[r], lx + 14, outcome_name[r]);
		lx += 30 + 7 * (int)strlen(outcome_name[r]);
	}
	int y = 60 + 20;

	for (size_t i = 0; i < n; i++) {
		boots = splat_jpath(b[i]->summary, "boots");
		size_t nb =
			boots && json_object_get_type(boots) == json_type_array
				? json_object_array_length(boots)
				: 0;

		for (size_t bi = 0; bi < nb; bi++) {
			struct json_object *bt =
				json_object_array_get_idx(boots, bi);
			int64_t t0 = (int64_t)splat_jnum(bt, "start_usec", 0);
			int64_t t1 = (int64_t)splat_jnum(bt, "end_usec", 0);

			if (t1 <= t0)
				t1 = t0 +
				     (int64_t)(splat_jnum(bt, "observed_h", 0) *
					       3.6e9) +
				     1;
			y += panel(out, b[i], (unsigned)bi, t0, t1, y, &series,
				   &kinds) +
			     PANEL_GAP;
		}
	}
	if (!total)
		fputs("<text x=\"70\" y=\"80\" font-size=\"13\">no boots in "
		      "these runs (transcribed figures have no timeline)</text>\n",
		      out);
	fputs("</svg>\n", out);
	names_free(&series);
	names_free(&kinds);
}
