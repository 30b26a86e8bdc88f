namespace Watchtower.Probes.Tcp;

public enum ExpectMode
{
    Contains = 0,
    Regex,
}
