using System.Globalization;
using System.Net;
using Watchtower.Testing;

namespace Watchtower.Web.Tests.Owner;

/// <summary>What an owner does through the forms, as small reusable steps.</summary>
internal static class OwnerSteps
{
    public static Dictionary<string, string> CheckForm(string name = "Mail server", string host = "127.0.0.1", string port = "25",
        string interval = "60", string timeout = "10", bool showTarget = false)
    {
        var form = new Dictionary<string, string>
        {
            ["Input.Name"] = name,
            ["Input.Kind"] = "Tcp",
            ["Input.Tcp.Host"] = host,
            ["Input.Tcp.Port"] = port,
            ["Input.IntervalSeconds"] = interval,
            ["Input.TimeoutSeconds"] = timeout,
        };
        if (showTarget)
        {
            form["Input.ShowTargetOnStatusPage"] = "true";
        }

        return form;
    }

    public static async Task<int> CreateCheckAsync(this OwnerClient owner, Dictionary<string, string>? form = null)
    {
        var page = await owner.PostFormAsync("/Checks/Create", form ?? CheckForm());
        Assert.True(page.Status == HttpStatusCode.Redirect, $"expected a redirect, got {page.Status}: {page.Text(".field-error, .errors")}");
        return page.IdFromLocation();
    }

    public static async Task<int> CreatePageAsync(this OwnerClient owner, string name = "Acme", string? slug = null)
    {
        var page = await owner.PostFormAsync("/StatusPages/Create", new() { ["Input.Name"] = name, ["Input.Slug"] = slug ?? UniqueSlug() });
        Assert.True(page.Status == HttpStatusCode.Redirect, $"expected a redirect, got {page.Status}: {page.Text(".field-error, .errors")}");
        return int.Parse(page.Location!.OriginalString.Split('/')[2], CultureInfo.InvariantCulture);
    }

    public static string UniqueSlug() => $"page-{Guid.NewGuid():N}"[..20];

    /// <summary>
    /// Posts the page edit form showing <paramref name="checkIds"/> in that order, as the form's
    /// hidden position fields carry it (the order the up/down buttons or drag and drop left).
    /// </summary>
    public static Task<OwnerClient.Page> SetPageChecksAsync(this OwnerClient owner, int pageId, string name, string slug, params int[] checkIds)
    {
        var form = new Dictionary<string, string> { ["Input.Name"] = name, ["Input.Slug"] = slug };
        for (var i = 0; i < checkIds.Length; i++)
        {
            form[$"Choices[{i}].CheckId"] = checkIds[i].ToString(CultureInfo.InvariantCulture);
            form[$"Choices[{i}].Shown"] = "true";
            form[$"Choices[{i}].Position"] = (i + 1).ToString(CultureInfo.InvariantCulture);
        }

        return owner.PostFormAsync($"/StatusPages/{pageId}/Edit", form);
    }
}
