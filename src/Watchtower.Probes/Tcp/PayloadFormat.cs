namespace Watchtower.Probes.Tcp;

public enum PayloadFormat
{
    /// <summary>Text with escapes: \r \n \t \0 \\ and \xHH.</summary>
    Text = 0,
    /// <summary>Hex digits, spaces allowed: "16 03 01".</summary>
    Hex,
}
