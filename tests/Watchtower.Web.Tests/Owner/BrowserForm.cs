using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Watchtower.Testing;

namespace Watchtower.Web.Tests.Owner;

/// <summary>
/// A form as a browser without JavaScript submits it: every field it holds (hidden ones, ticked
/// boxes, typed text), plus the name and value of the button pressed, posted to that button's
/// formaction (else the form's action, else the page's own address).
/// </summary>
internal sealed class BrowserForm
{
    private readonly IHtmlFormElement form;
    private readonly string pageUrl;

    private BrowserForm(IHtmlFormElement form, string pageUrl)
    {
        this.form = form;
        this.pageUrl = pageUrl;
    }

    public static BrowserForm Of(OwnerClient.Page page, string pageUrl, string formSelector = "form#page-form") =>
        new(page.Document.QuerySelector<IHtmlFormElement>(formSelector) ?? throw new InvalidOperationException($"No {formSelector} on {pageUrl}"), pageUrl);

    public BrowserForm Type(string name, string value)
    {
        var field = form.Elements.FirstOrDefault(e => e.GetAttribute("name") == name) ?? throw new InvalidOperationException($"No field {name}");
        switch (field)
        {
            case IHtmlInputElement input: input.Value = value; break;
            case IHtmlTextAreaElement area: area.Value = value; break;
            default: throw new InvalidOperationException($"{name} is not a text field");
        }

        return this;
    }

    public BrowserForm Tick(string checkboxId, bool ticked = true)
    {
        var box = form.QuerySelector<IHtmlInputElement>($"input[type=checkbox]#{checkboxId}") ?? throw new InvalidOperationException($"No checkbox #{checkboxId}");
        box.IsChecked = ticked;
        return this;
    }

    /// <summary>The fields that would be posted, in document order.</summary>
    public List<KeyValuePair<string, string>> Fields(IHtmlElement? submitter = null)
    {
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var element in form.Elements)
        {
            var name = element.GetAttribute("name");
            if (string.IsNullOrEmpty(name) || element.HasAttribute("disabled"))
            {
                continue;
            }

            switch (element)
            {
                case IHtmlButtonElement button when button == submitter:
                    fields.Add(new(name, button.Value));
                    break;
                case IHtmlInputElement { Type: "checkbox" or "radio" } box when box.IsChecked:
                    fields.Add(new(name, box.GetAttribute("value") ?? "on"));
                    break;
                case IHtmlInputElement { Type: "checkbox" or "radio" or "submit" or "button" or "reset" or "image" }:
                    break;
                case IHtmlInputElement input:
                    fields.Add(new(name, input.Value));
                    break;
                case IHtmlTextAreaElement area:
                    fields.Add(new(name, area.Value));
                    break;
                case IHtmlSelectElement select:
                    fields.AddRange(select.Options.Where(o => o.IsSelected).Select(o => new KeyValuePair<string, string>(name, o.Value)));
                    break;
            }
        }

        return fields;
    }

    /// <summary>Presses the button matching <paramref name="buttonSelector"/> (it must be enabled, as in a browser); <paramref name="extraFields"/> are forged additions.</summary>
    public async Task<OwnerClient.Page> SubmitAsync(OwnerClient owner, string buttonSelector, IEnumerable<KeyValuePair<string, string>>? extraFields = null)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var button = form.QuerySelector<IHtmlButtonElement>(buttonSelector) ?? throw new InvalidOperationException($"No button {buttonSelector}");
        if (button.IsDisabled)
        {
            throw new InvalidOperationException($"{buttonSelector} is disabled: a browser would not press it.");
        }

        var target = button.GetAttribute("formaction") ?? form.GetAttribute("action");
        target = string.IsNullOrEmpty(target) ? pageUrl : target.Split('#')[0];
        using var content = new FormUrlEncodedContent(Fields(button).Concat(extraFields ?? []));
        using var response = await owner.Http.PostAsync(new Uri(target, UriKind.Relative), content);
        return await OwnerClient.Page.FromAsync(response);
    }
}
