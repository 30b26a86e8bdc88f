namespace Watchtower.Web.Incidents;

public static class IncidentForm
{
    /// <summary>
    /// The form's rows are the page's services, from the database; what was posted only says which
    /// are ticked and their states (a posted row of a service not on the page is kept, nameless,
    /// so the service refuses it with a field message; the form does not show it again).
    /// </summary>
    public static void KeepChoices(IncidentInput input, List<ComponentChoice>? posted)
    {
        ArgumentNullException.ThrowIfNull(input);
        var byId = (posted ?? []).GroupBy(c => c.CheckId).ToDictionary(g => g.Key, g => g.First());
        foreach (var row in input.Components)
        {
            if (byId.Remove(row.CheckId, out var sent))
            {
                row.Affected = sent.Affected;
                row.Status = sent.Status;
            }
        }

        input.Components.AddRange(byId.Values.Where(c => c.Affected).Select(c => new ComponentChoice { CheckId = c.CheckId, Affected = true, Status = c.Status, Name = "" }));
    }
}
