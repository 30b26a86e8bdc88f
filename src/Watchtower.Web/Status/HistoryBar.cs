using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;
using Watchtower.Monitoring.History;
using Watchtower.Web.Infrastructure.Outage;

namespace Watchtower.Web.Status;

/// <summary>
/// The 90 days of a service's bar as one string: a radio per day (one tab stop, arrow keys move) and
/// the day's tip, shown on hover or focus by CSS. Written here rather than in Razor because it is most
/// of the public page: 90 days × 50 services made 4,500 Razor fragments with their indentation (about
/// 400 bytes a day); one line a day without it is about half that and renders in a fraction of the time.
/// </summary>
public static class HistoryBar
{
    public static HtmlString Days(HistorySummary history, IReadOnlyList<StatusPageSnapshot.DayIncident> incidents, int index, string linkBase)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(incidents);
        var inv = CultureInfo.InvariantCulture;
        var enc = HtmlEncoder.Default;
        var sb = new StringBuilder(history.Days.Count * 140);
        for (var d = 0; d < history.Days.Count; d++)
        {
            var day = history.Days[d];
            var first = true;
            foreach (var x in incidents)
            {
                if (x.From <= day.Day && day.Day <= x.To)
                {
                    if (first)
                    {
                        Open(sb, day, index, "<div class=tip><label>");
                        sb.Append("</label><ul class=tip-incidents>");
                        first = false;
                    }

                    sb.Append("<li><a href=\"").Append(enc.Encode(linkBase)).Append("/incidents/").Append(x.Id.ToString(inv)).Append("\">")
                      .Append(enc.Encode(x.Title)).Append("</a></li>");
                }
            }

            if (first)
            {
                Open(sb, day, index, "<label class=tip>");
                sb.Append("</label></li>");
            }
            else
            {
                sb.Append("</ul></div></li>");
            }
        }

        return new HtmlString(sb.ToString());
    }

    /// <summary>
    /// The day's square and its words: date, uptime, downtime, maintenance (only what is not zero; a day
    /// of 100.00 % needs no "no downtime"). The radio sits in its label (no id to pair them), unquoted
    /// attribute values: 4,500 days a page make every byte count 4,500 times.
    /// </summary>
    private static void Open(StringBuilder sb, DayBar day, int index, string tip)
    {
        var inv = CultureInfo.InvariantCulture;
        sb.Append("<li class=").Append(CssOf(day.State)).Append(" data-day=").Append(day.Day.ToString("yyyy-MM-dd", inv)).Append('>')
          .Append(tip).Append("<input type=radio name=day-").Append(index.ToString(inv)).Append("><strong>")
          .Append(day.Day.ToString("d MMM yyyy", inv)).Append("</strong>");
        if (day.State == DayState.NoData)
        {
            sb.Append("<span>No data</span>");
            return;
        }

        sb.Append("<span>").Append(Uptime.Format(day.Percent)).Append(" up</span>");
        if (day.DowntimeMinutes > 0)
        {
            sb.Append("<span>").Append(day.DowntimeMinutes.ToString(inv)).Append(" min down</span>");
        }

        if (day.Totals.MaintenanceMs > 0)
        {
            sb.Append("<span>").Append(((day.Totals.MaintenanceMs + 59_999) / 60_000).ToString(inv)).Append(" min maintenance</span>");
        }
    }

    private static string CssOf(DayState state) => state switch
    {
        DayState.Up => "d-up",
        DayState.Maintenance => "d-maintenance",
        DayState.Degraded => "d-degraded",
        DayState.Down => "d-down",
        _ => "d-nodata",
    };
}
