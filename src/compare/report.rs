//! report.html and stance_by_source.svg, drawn with plotters' SVG backend.
//!
//! The page is self-contained: the charts are inline SVG, the style sheet is inline, and
//! there is no script and no external URL, so it opens offline and can be mailed as is.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::aggregate::{
    add_counts, camp_rank, SpeakerTally, StanceCounts, Tally, ALL, NONE, STANCES,
};
use super::network::xml_escape;
use super::tables::ranked;
use super::{CompareError, CompareOptions, CompareSummary};

/// How many speakers per source the report's tables list.
pub const TOP_SPEAKERS: usize = 10;

const FONT: &str = "sans-serif";
/// Height of one bar row, and of the bar inside it, in pixels.
const ROW_H: i32 = 24;
const BAR_H: i32 = 17;
/// Space for a panel title, the legend, and the axis below the bars.
const TITLE_H: i32 = 30;
const LEGEND_H: i32 = 28;
const AXIS_H: i32 = 24;
/// Approximate width of one character of 12-pixel sans-serif text.
const CHAR_W: f64 = 6.8;

/// One stacked bar: a label and counts per series.
struct Bar {
    label: String,
    counts: Vec<u64>,
}

/// A series of a stacked bar chart: its name and colour.
struct Series {
    name: String,
    color: RGBColor,
}

fn stance_series() -> Vec<Series> {
    let colors = [
        RGBColor(0xc4, 0x4e, 0x0e), // favor: burnt orange
        RGBColor(0x1f, 0x5f, 0xa8), // against: blue
        RGBColor(0x8e, 0x96, 0xa3), // neutral: grey
        RGBColor(0xdb, 0xdf, 0xe5), // unrelated: light grey
    ];
    STANCES
        .iter()
        .zip(colors)
        .map(|(s, color)| Series {
            name: (*s).to_owned(),
            color,
        })
        .collect()
}

fn camp_color(camp: &str, other_index: usize) -> RGBColor {
    match camp {
        "russia" => RGBColor(0xb2, 0x18, 0x2b),
        "ukraine" => RGBColor(0xe6, 0xa1, 0x00),
        "us" => RGBColor(0x2c, 0x7b, 0xb6),
        "europe" => RGBColor(0x5e, 0x3c, 0x99),
        "other" => RGBColor(0x1a, 0x98, 0x50),
        "media" => RGBColor(0x7f, 0x7f, 0x7f),
        "unknown" => RGBColor(0xbd, 0xbd, 0xbd),
        "none" => RGBColor(0xe8, 0xe8, 0xe8),
        _ => {
            const MORE: [RGBColor; 4] = [
                RGBColor(0x8c, 0x51, 0x0a),
                RGBColor(0x01, 0x66, 0x5e),
                RGBColor(0xc5, 0x1b, 0x7d),
                RGBColor(0x4d, 0x92, 0x21),
            ];
            MORE[other_index % MORE.len()]
        }
    }
}

/// Whether white text reads better than dark text on `c`.
fn is_dark(c: RGBColor) -> bool {
    0.299 * f64::from(c.0) + 0.587 * f64::from(c.1) + 0.114 * f64::from(c.2) < 150.0
}

/// The font size to give plotters for text of `px` pixels: its SVG backend writes
/// `size / 1.24`, so pick the float nearest `px · 1.24` that divides back to exactly `px`
/// (no `font-size="15.000000000000002"` in the output).
fn font_size(px: f64) -> f64 {
    let v = px * 1.24;
    for step in 0..8u64 {
        for c in [
            f64::from_bits(v.to_bits() + step),
            f64::from_bits(v.to_bits() - step),
        ] {
            if c / 1.24 == px {
                return c;
            }
        }
    }
    v
}

/// A text style of `px` pixels.
fn text(px: f64, color: RGBColor, h: HPos) -> TextStyle<'static> {
    (FONT, font_size(px))
        .into_font()
        .color(&color)
        .pos(Pos::new(h, VPos::Center))
}

fn text_width(s: &str, px: f64) -> i32 {
    (s.chars().count() as f64 * CHAR_W * px / 12.0).ceil() as i32
}

fn draw_err<E: std::error::Error + Send + Sync>(
    what: &'static str,
) -> impl Fn(DrawingAreaErrorKind<E>) -> CompareError {
    move |e| CompareError::Draw {
        what,
        message: e.to_string(),
    }
}

/// The width of the label column for `bars`.
fn label_width(bars: &[Bar]) -> i32 {
    bars.iter()
        .map(|b| text_width(&bar_label(b), 12.0))
        .max()
        .unwrap_or(0)
        .clamp(60, 260)
        + 14
}

fn bar_label(b: &Bar) -> String {
    format!("{} ({})", b.label, b.counts.iter().sum::<u64>())
}

/// The pixel height of a panel of `rows` bars.
fn panel_height(rows: usize, titled: bool) -> i32 {
    (if titled { TITLE_H } else { 6 }) + rows as i32 * ROW_H + AXIS_H
}

/// A horizontal stacked bar chart of shares: one bar per row, 0–100%.
fn draw_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: Option<&str>,
    bars: &[Bar],
    series: &[Series],
    label_w: i32,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let (w, _) = area.dim_in_pixel();
    let w = w as i32;
    let mut y0 = 6;
    if let Some(t) = title {
        let style = (FONT, font_size(14.0))
            .into_font()
            .style(FontStyle::Bold)
            .color(&BLACK)
            .pos(Pos::new(HPos::Left, VPos::Center));
        area.draw(&Text::new(t.to_owned(), (8, TITLE_H / 2), style))?;
        y0 = TITLE_H;
    }
    let x0 = label_w;
    let x1 = w - 18;
    let bw = f64::from((x1 - x0).max(1));
    let y_end = y0 + bars.len() as i32 * ROW_H;

    // Grid and axis.
    let grid = RGBColor(0xd0, 0xd4, 0xda);
    for q in 0..=4 {
        let x = x0 + (bw * f64::from(q) / 4.0).round() as i32;
        area.draw(&PathElement::new(vec![(x, y0), (x, y_end + 3)], grid))?;
        area.draw(&Text::new(
            format!("{}%", q * 25),
            (x, y_end + AXIS_H / 2 + 2),
            text(11.0, RGBColor(0x55, 0x5b, 0x66), HPos::Center),
        ))?;
    }

    for (i, bar) in bars.iter().enumerate() {
        let top = y0 + i as i32 * ROW_H + (ROW_H - BAR_H) / 2;
        let mid = top + BAR_H / 2;
        area.draw(&Text::new(
            bar_label(bar),
            (x0 - 8, mid),
            text(12.0, RGBColor(0x22, 0x22, 0x22), HPos::Right),
        ))?;
        let total: u64 = bar.counts.iter().sum();
        if total == 0 {
            area.draw(&Text::new(
                "no statements".to_owned(),
                (x0 + 6, mid),
                text(11.0, RGBColor(0x88, 0x88, 0x88), HPos::Left),
            ))?;
            continue;
        }
        let mut cum = 0u64;
        for (k, s) in bar.counts.iter().zip(series) {
            if *k == 0 {
                continue;
            }
            let left = x0 + (bw * cum as f64 / total as f64).round() as i32;
            cum += k;
            let right = x0 + (bw * cum as f64 / total as f64).round() as i32;
            area.draw(&Rectangle::new(
                [(left, top), (right, top + BAR_H)],
                s.color.filled(),
            ))?;
            let share = *k as f64 / total as f64;
            let label = format!("{:.0}%", share * 100.0);
            if right - left >= text_width(&label, 11.0) + 6 {
                let fg = if is_dark(s.color) {
                    WHITE
                } else {
                    RGBColor(0x22, 0x22, 0x22)
                };
                area.draw(&Text::new(
                    label,
                    ((left + right) / 2, mid),
                    text(11.0, fg, HPos::Center),
                ))?;
            }
        }
    }
    Ok(())
}

/// A legend row: a swatch and the name of each series.
fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    series: &[Series],
    x: i32,
    y: i32,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let mut x = x;
    for s in series {
        area.draw(&Rectangle::new(
            [(x, y - 6), (x + 12, y + 6)],
            s.color.filled(),
        ))?;
        area.draw(&Text::new(
            s.name.clone(),
            (x + 17, y),
            text(12.0, RGBColor(0x22, 0x22, 0x22), HPos::Left),
        ))?;
        x += 17 + text_width(&s.name, 12.0) + 18;
    }
    Ok(())
}

/// An SVG document of a titled chart: legend on top, then one panel.
fn single_chart(
    what: &'static str,
    title: &str,
    bars: &[Bar],
    series: &[Series],
    width: u32,
) -> Result<String, CompareError> {
    let h = LEGEND_H + panel_height(bars.len(), true) + 4;
    let label_w = label_width(bars);
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, (width, h as u32)).into_drawing_area();
        let err = draw_err(what);
        root.fill(&WHITE).map_err(&err)?;
        let (top, rest) = root.split_vertically(TITLE_H);
        let style = (FONT, font_size(16.0))
            .into_font()
            .style(FontStyle::Bold)
            .color(&BLACK)
            .pos(Pos::new(HPos::Left, VPos::Center));
        top.draw(&Text::new(title.to_owned(), (8, TITLE_H / 2), style))
            .map_err(&err)?;
        let (legend, body) = rest.split_vertically(LEGEND_H);
        draw_legend(&legend, series, label_w, LEGEND_H / 2).map_err(&err)?;
        draw_panel(&body, None, bars, series, label_w).map_err(&err)?;
        root.present().map_err(&err)?;
    }
    Ok(buf)
}

/// Stance counts per source over all periods and camps, then `ALL`.
fn stance_bars(tally: &Tally) -> Vec<Bar> {
    let overall = tally.overall();
    let mut all = [0u64; 4];
    let mut bars = Vec::new();
    for (source, camps) in &overall {
        let mut counts = [0u64; 4];
        for c in camps.values() {
            add_counts(&mut counts, c);
        }
        add_counts(&mut all, &counts);
        bars.push(Bar {
            label: source.clone(),
            counts: counts.to_vec(),
        });
    }
    bars.push(Bar {
        label: "all sources".to_owned(),
        counts: all.to_vec(),
    });
    bars
}

/// stance_by_source.svg: the share of each stance among the labelled statements of each
/// source, and of all sources together.
pub(crate) fn stance_by_source_svg(tally: &Tally) -> Result<String, CompareError> {
    single_chart(
        "stance_by_source.svg",
        "Stance of statements by source",
        &stance_bars(tally),
        &stance_series(),
        1100,
    )
}

/// Camps present in the input, in the fixed order.
fn camps_present(overall: &BTreeMap<String, BTreeMap<String, StanceCounts>>) -> Vec<String> {
    let mut camps: Vec<String> = overall
        .values()
        .flat_map(|c| c.keys().cloned())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    camps.sort_by(|a, b| camp_rank(a).cmp(&camp_rank(b)));
    camps
}

/// Small multiples: one panel per camp, bars per source, stacked by stance.
fn stance_by_camp_svg(tally: &Tally) -> Result<String, CompareError> {
    const WIDTH: u32 = 1100;
    const COLS: usize = 2;
    let overall = tally.overall();
    let camps = camps_present(&overall);
    let panels: Vec<(String, Vec<Bar>)> = camps
        .iter()
        .map(|camp| {
            let bars = overall
                .iter()
                .filter_map(|(source, by_camp)| {
                    by_camp.get(camp).map(|c| Bar {
                        label: source.clone(),
                        counts: c.to_vec(),
                    })
                })
                .collect();
            (format!("Speaker camp: {camp}"), bars)
        })
        .collect();
    let rows = panels.iter().map(|(_, b)| b.len()).max().unwrap_or(0);
    let panel_h = panel_height(rows, true) + 8;
    let grid_rows = panels.len().div_ceil(COLS);
    let h = LEGEND_H + panel_h * grid_rows as i32 + 4;
    let label_w = panels
        .iter()
        .map(|(_, b)| label_width(b))
        .max()
        .unwrap_or(60);
    let series = stance_series();
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, (WIDTH, h as u32)).into_drawing_area();
        let err = draw_err("stance by camp chart");
        root.fill(&WHITE).map_err(&err)?;
        let (legend, body) = root.split_vertically(LEGEND_H);
        draw_legend(&legend, &series, label_w, LEGEND_H / 2).map_err(&err)?;
        let cells = body.split_evenly((grid_rows.max(1), COLS));
        for ((title, bars), cell) in panels.iter().zip(&cells) {
            draw_panel(cell, Some(title), bars, &series, label_w).map_err(&err)?;
        }
        root.present().map_err(&err)?;
    }
    Ok(buf)
}

/// Whom each source quotes: the share of each camp among its labelled statements.
fn camps_by_source_svg(tally: &Tally) -> Result<String, CompareError> {
    let overall = tally.overall();
    let camps = camps_present(&overall);
    let mut extra = 0;
    let series: Vec<Series> = camps
        .iter()
        .map(|c| {
            let color = camp_color(c, extra);
            if camp_rank(c).0 == super::aggregate::CAMPS.len() {
                extra += 1;
            }
            Series {
                name: c.clone(),
                color,
            }
        })
        .collect();
    let mut all = vec![0u64; camps.len()];
    let mut bars: Vec<Bar> = overall
        .iter()
        .map(|(source, by_camp)| {
            let counts: Vec<u64> = camps
                .iter()
                .map(|c| by_camp.get(c).map_or(0, |s| s.iter().sum()))
                .collect();
            for (a, c) in all.iter_mut().zip(&counts) {
                *a += c;
            }
            Bar {
                label: source.clone(),
                counts,
            }
        })
        .collect();
    bars.push(Bar {
        label: "all sources".to_owned(),
        counts: all,
    });
    single_chart(
        "camps by source chart",
        "Whose statements each source carries (share by speaker camp)",
        &bars,
        &series,
        1100,
    )
}

/// An SVG document made ready to inline in HTML: no XML namespace URL (the HTML parser
/// puts `<svg>` in the SVG namespace by itself), scaled to the page width.
fn inline_svg(svg: &str) -> String {
    svg.replacen(" xmlns=\"http://www.w3.org/2000/svg\"", "", 1)
        .replacen("<svg ", "<svg role=\"img\" ", 1)
}

const STYLE: &str = "
body { font-family: sans-serif; color: #222; margin: 24px auto; max-width: 1140px; padding: 0 16px; }
h1 { font-size: 24px; margin-bottom: 4px; }
h2 { font-size: 19px; margin-top: 34px; border-bottom: 1px solid #d0d4da; padding-bottom: 4px; }
p.meta, p.note, figcaption { color: #555b66; font-size: 14px; }
figure { margin: 12px 0; }
svg { max-width: 100%; height: auto; }
.tables { display: grid; grid-template-columns: repeat(auto-fill, minmax(520px, 1fr)); gap: 18px 28px; }
table { border-collapse: collapse; font-size: 13px; width: 100%; }
caption { text-align: left; font-weight: bold; font-size: 15px; padding: 4px 0; }
th, td { padding: 3px 6px; border-bottom: 1px solid #e6e8ec; text-align: right; }
th { background: #f3f4f6; font-weight: 600; }
td.name, th.name { text-align: left; }
td.camp { text-align: left; color: #555b66; }
td.more { text-align: left; color: #777; font-size: 12px; border-bottom: none; }
code { background: #f3f4f6; padding: 1px 4px; }
";

/// report.html: the charts inline and the most quoted speakers of each source.
pub(crate) fn report_html(
    tally: &Tally,
    summary: &CompareSummary,
    opts: &CompareOptions,
) -> Result<String, CompareError> {
    let mut h = String::new();
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    h.push_str("<title>stancemap compare: speakers and stances by source</title>\n");
    let _ = writeln!(h, "<style>{STYLE}</style>\n</head>\n<body>");
    h.push_str("<h1>Speakers and stances by source</h1>\n");
    let _ = writeln!(
        h,
        "<p class=\"meta\">{} statements from {} file{} and {} source{}; {} with a stance label \
         (the shares below count these). Stance is the position on recognition of Russia's control \
         over Crimea and the other occupied Ukrainian territories.</p>",
        summary.statements,
        summary.files,
        if summary.files == 1 { "" } else { "s" },
        summary.sources,
        if summary.sources == 1 { "" } else { "s" },
        summary.labelled,
    );
    if summary.unlabelled > 0 {
        let _ = writeln!(
            h,
            "<p class=\"note\">{} statements have no stance label (no classifier ran) and are \
             left out of the shares.</p>",
            summary.unlabelled
        );
    }
    if summary.no_speaker > 0 {
        let _ = writeln!(
            h,
            "<p class=\"note\">{} statements have no speaker (no speaker stage ran): they count \
             under camp <code>none</code> and are left out of the speaker tables.</p>",
            summary.no_speaker
        );
    }
    if let Some(p) = opts.by_date {
        let _ = writeln!(
            h,
            "<p class=\"note\">summary.csv is split by {p}; the charts add up all periods.</p>"
        );
    }

    h.push_str("<h2>Stance by source</h2>\n<figure>\n");
    h.push_str(&inline_svg(&stance_by_source_svg(tally)?));
    h.push_str(
        "<figcaption>Share of each stance among the labelled statements of a source \
         (statement count in brackets). Also in stance_by_source.svg; the 95% intervals \
         are in summary.csv.</figcaption>\n</figure>\n",
    );

    let has_speakers = camps_present(&tally.overall()).iter().any(|c| c != NONE);
    if !has_speakers {
        h.push_str(
            "<p class=\"note\">No statement has a speaker camp, so the charts by camp and the \
             speaker tables are left out: run <code>stancemap analyze</code> with the speaker \
             stage to get them.</p>\n",
        );
    } else {
        h.push_str("<h2>Stance by speaker camp</h2>\n<figure>\n");
        h.push_str(&inline_svg(&stance_by_camp_svg(tally)?));
        h.push_str(
            "<figcaption>One panel per speaker camp: the stance of the statements of that camp's \
             speakers, by source.</figcaption>\n</figure>\n",
        );

        h.push_str("<h2>Whom each source quotes</h2>\n<figure>\n");
        h.push_str(&inline_svg(&camps_by_source_svg(tally)?));
        h.push_str(
            "<figcaption>Share of each speaker camp among the labelled statements of a source; \
             <code>media</code> includes the outlet's own voice.</figcaption>\n</figure>\n",
        );

        let _ = writeln!(
            h,
            "<h2>Most quoted speakers per source</h2>\n<p class=\"note\">The {TOP_SPEAKERS} \
             speakers with the most statements in each source, the outlet's own voice \
             (<code>author</code>) aside; all of them are in speakers.csv.</p>\n<div class=\"tables\">"
        );
        let all = tally.all_speakers();
        let groups = tally
            .speakers
            .iter()
            .map(|(s, m)| (s.as_str(), m))
            .chain(std::iter::once((ALL, &all)));
        for (source, speakers) in groups {
            speaker_table(&mut h, source, speakers);
        }
        h.push_str("</div>\n");
    }
    h.push_str(
        "<p class=\"meta\">Made by stancemap compare. Data: summary.csv, speakers.csv, \
         network.csv, network.graphml.</p>\n</body>\n</html>\n",
    );
    Ok(h)
}

fn speaker_table(h: &mut String, source: &str, speakers: &BTreeMap<String, SpeakerTally>) {
    let caption = if source == ALL { "all sources" } else { source };
    let _ = writeln!(
        h,
        "<table>\n<caption>{}</caption>\n<tr><th>#</th><th class=\"name\">speaker</th>\
         <th class=\"name\">camp</th><th>statements</th><th>favor</th><th>against</th>\
         <th>neutral</th><th>unrelated</th></tr>",
        xml_escape(caption)
    );
    let list: Vec<_> = ranked(speakers)
        .into_iter()
        .filter(|(name, _)| !name.eq_ignore_ascii_case("author"))
        .collect();
    for (i, (name, t)) in list.iter().take(TOP_SPEAKERS).enumerate() {
        let [f, a, n, u] = t.stances;
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td class=\"name\">{}</td><td class=\"camp\">{}</td><td>{}</td>\
             <td>{f}</td><td>{a}</td><td>{n}</td><td>{u}</td></tr>",
            i + 1,
            xml_escape(name),
            xml_escape(t.camp()),
            t.statements()
        );
    }
    if list.len() > TOP_SPEAKERS {
        let _ = writeln!(
            h,
            "<tr><td class=\"more\"></td><td class=\"more\" colspan=\"7\">and {} more</td></tr>",
            list.len() - TOP_SPEAKERS
        );
    }
    if list.is_empty() {
        h.push_str(
            "<tr><td class=\"more\"></td><td class=\"more\" colspan=\"7\">no quoted speakers</td></tr>\n",
        );
    }
    h.push_str("</table>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn font_sizes_divide_back_exactly() {
        for px in [11.0, 12.0, 14.0, 16.0] {
            assert_eq!(font_size(px) / 1.24, px);
        }
    }

    #[test]
    fn inline_svg_drops_the_namespace_url() {
        let svg = "<svg width=\"1\" height=\"1\" viewBox=\"0 0 1 1\" xmlns=\"http://www.w3.org/2000/svg\">\n</svg>";
        assert_eq!(
            inline_svg(svg),
            "<svg role=\"img\" width=\"1\" height=\"1\" viewBox=\"0 0 1 1\">\n</svg>"
        );
    }
}
