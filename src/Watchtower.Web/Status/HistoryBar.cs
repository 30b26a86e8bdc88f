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
        var sb = new StringBuilder(history.Days.Count * 220);
        for (var d = 0; d < history.Days.Count; d++)
        {
            var day = history.Days[d];
            sb.Append("<li class=\"").Append(CssOf(day.State)).Append("\" data-day=\"").Append(day.Day.ToString("yyyy-MM-dd", inv)).Append("\">")
              .Append(inv, $"<input type=\"radio\" name=\"day-{index}\" id=\"day-{index}-{d}\"><div class=\"tip\"><label for=\"day-{index}-{d}\"><strong>")
              .Append(day.Day.ToString("d MMM yyyy", inv)).Append("</strong>");
            if (day.State == DayState.NoData)
            {
                sb.Append("<span>No data</span>");
            }
            else
            {
                sb.Append("<span>").Append(Uptime.Format(day.Percent)).Append(" up</span><span>")
                  .Append(day.DowntimeMinutes == 0 ? "no downtime" : day.DowntimeMinutes.ToString(inv) + " min down").Append("</span>");
                if (day.Totals.MaintenanceMs > 0)
                {
                    sb.Append("<span>").Append(((day.Totals.MaintenanceMs + 59_999) / 60_000).ToString(inv)).Append(" min maintenance</span>");
                }
            }

            var any = false;
            foreach (var x in incidents)
            {
                if (x.From <= day.Day && day.Day <= x.To)
                {
                    sb.Append(any ? "" : "</label><ul class=\"tip-incidents\">")
                      .Append("<li><a href=\"").Append(enc.Encode(linkBase)).Append("/incidents/").Append(x.Id.ToString(inv)).Append("\">")
                      .Append(enc.Encode(x.Title)).Append("</a></li>");
                    any = true;
                }
            }

            sb.Append(any ? "</ul></div></li>" : "<span>No incidents</span></label></div></li>");
        }

        return new HtmlString(sb.ToString());
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
