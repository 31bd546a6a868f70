//! The chart: the report's rows as an SVG bar chart.

use crate::report::Row;

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A horizontal bar chart of the ratio to floor, one group per workload and
/// thread count, on a log2 axis (1 = floor).
pub fn svg(rows: &[Row], title: &str) -> String {
    use std::fmt::Write;
    let contenders: Vec<&str> = {
        let mut v: Vec<&str> = Vec::new();
        for r in rows {
            if !v.contains(&r.contender) {
                v.push(r.contender);
            }
        }
        v
    };
    let palette = [
        "#444444", "#d62728", "#1f77b4", "#17becf", "#ff7f0e", "#9467bd", "#8c564b", "#2ca02c",
        "#bcbd22", "#e377c2", "#7f7f7f", "#000080",
    ];
    let color =
        |c: &str| palette[contenders.iter().position(|x| *x == c).unwrap_or(0) % palette.len()];
    let mut groups: Vec<(&str, usize)> = Vec::new();
    for r in rows {
        if !groups.contains(&(r.workload, r.threads)) {
            groups.push((r.workload, r.threads));
        }
    }
    let (bar_h, gap, left, top, plot_w) = (11.0, 14.0, 300.0, 60.0, 560.0);
    let (lo, hi) = (-4.0f64, 5.0f64); // log2 of 1/16x ..= 32x
    let x = |ratio: f64| left + (ratio.log2().clamp(lo, hi) - lo) / (hi - lo) * plot_w;
    let mut y = top;
    let mut body = String::new();
    for (w, th) in &groups {
        let members: Vec<&Row> = rows
            .iter()
            .filter(|r| r.workload == *w && r.threads == *th)
            .collect();
        let h = members.len() as f64 * bar_h;
        let _ = writeln!(
            body,
            r#"<text x="10" y="{:.1}" font-weight="bold">{} ({} thr)</text>"#,
            y + h / 2.0 + 4.0,
            w,
            th
        );
        for r in members {
            let Some(ratio) = r.ratio else { continue };
            let x0 = x(1.0);
            let x1 = x(ratio);
            let (a, b) = if x1 >= x0 { (x0, x1) } else { (x1, x0) };
            let _ = writeln!(
                body,
                r#"<rect x="{a:.1}" y="{y:.1}" width="{:.1}" height="{:.1}" fill="{}"><title>{} {}: {:.2}x floor, {:.1} ns</title></rect>"#,
                (b - a).max(1.0),
                bar_h - 2.0,
                color(r.contender),
                xml_escape(r.contender),
                w,
                ratio,
                r.median_ns
            );
            let _ = writeln!(
                body,
                r#"<text x="{:.1}" y="{:.1}" font-size="9">{} {:.2}</text>"#,
                left - 4.0 - 0.0,
                y + bar_h - 3.0,
                xml_escape(r.contender),
                ratio
            );
            y += bar_h;
        }
        y += gap;
    }
    let height = y + 30.0;
    let width = left + plot_w + 30.0;
    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0}" height="{height:.0}" font-family="sans-serif" font-size="11">"#
    );
    let _ = writeln!(out, r#"<rect width="100%" height="100%" fill="white"/>"#);
    let _ = writeln!(
        out,
        r#"<text x="10" y="20" font-size="14" font-weight="bold">{}</text>"#,
        xml_escape(title)
    );
    let _ = writeln!(
        out,
        r#"<text x="10" y="38" font-size="10">median ns/op as a ratio to floor (log scale, 1 = floor; lower is better; bars clipped at 1/16x and 32x)</text>"#
    );
    for k in -4..=5 {
        let r = 2f64.powi(k);
        let gx = x(r);
        let _ = writeln!(
            out,
            r##"<line x1="{gx:.1}" y1="{:.1}" x2="{gx:.1}" y2="{:.1}" stroke="{}" stroke-width="{}"/><text x="{gx:.1}" y="{:.1}" text-anchor="middle" font-size="9">{}x</text>"##,
            top - 8.0,
            y,
            if k == 0 { "#000" } else { "#ddd" },
            if k == 0 { 1.5 } else { 1.0 },
            top - 10.0,
            r
        );
    }
    out.push_str(&body.replace(r#"font-size="9">"#, r#"font-size="9" text-anchor="end">"#));
    out.push_str("</svg>\n");
    out
}
