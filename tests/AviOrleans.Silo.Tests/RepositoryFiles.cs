namespace AviOrleans.Silo.Tests;

/// <summary>Finds files of the repository (the examples) from the test's output folder.</summary>
internal static class RepositoryFiles
{
    public static string Path(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "AviOrleans.sln")))
            {
                return System.IO.Path.Combine(dir.FullName, relative);
            }
        }

        throw new FileNotFoundException("AviOrleans.sln not found above " + AppContext.BaseDirectory);
    }
}
