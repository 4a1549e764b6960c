# Offline install of Mot Cua Counter from this bundle: install.ps1 [-Target DIR] (default C:\MotCuaCounter).
# Finds Python >= 3.12 ($env:PYTHON first, then the py launcher, then python on PATH), makes DIR\venv,
# installs the bundled wheels with no network, and leaves DIR\counter.cmd, a desktop shortcut and a
# Windows Terminal profile (a fragment, plus DIR\windows-terminal-profile.json to paste by hand).
param([string]$Target = "$env:SystemDrive\MotCuaCounter")
$ErrorActionPreference = "Stop"
$Here = Split-Path -Parent $MyInvocation.MyCommand.Path

function Test-Python([string[]]$Command) {
    try {
        $exe = $Command[0]; $rest = @($Command | Select-Object -Skip 1)
        & $exe @rest -c "import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)" 2>$null | Out-Null
        return $LASTEXITCODE -eq 0
    } catch { return $false }
}

$Candidates = @()
if ($env:PYTHON) { $Candidates += ,@($env:PYTHON) }
$Candidates += ,@("py", "-3.13"); $Candidates += ,@("py", "-3.12"); $Candidates += ,@("python")
$Python = $null
foreach ($candidate in $Candidates) { if (Test-Python $candidate) { $Python = $candidate; break } }
if (-not $Python) {
    Write-Error "No Python 3.12 or newer found. Install it from python.org or with: winget install Python.Python.3.13"
    exit 1
}
New-Item -ItemType Directory -Force -Path $Target | Out-Null
$Target = (Resolve-Path $Target).Path
Write-Host "Installing Mot Cua Counter into $Target with $($Python -join ' ')"
$exe = $Python[0]; $rest = @($Python | Select-Object -Skip 1)
& $exe @rest -m venv "$Target\venv"
if ($LASTEXITCODE -ne 0) { Write-Error "Could not create the virtual environment in $Target\venv"; exit 1 }
& "$Target\venv\Scripts\python.exe" -m pip --isolated --disable-pip-version-check install --quiet --no-index `
    --find-links "$Here\wheels" motcua-counter
if ($LASTEXITCODE -ne 0) { Write-Error "Installing the bundled wheels failed"; exit 1 }

$Launcher = "$Target\counter.cmd"
Set-Content -Path $Launcher -Encoding ASCII -Value "@echo off`r`n`"%~dp0venv\Scripts\counter.exe`" %*"

$WtProfile = @{ profiles = @(@{ name = "Mot Cua Counter"; commandline = "`"$Launcher`""; startingDirectory = $Target;
    guid = "{6f2b8c1e-4d0a-4a4e-9c55-6d6f74637561}"; hidden = $false }) } | ConvertTo-Json -Depth 4
[IO.File]::WriteAllText("$Target\windows-terminal-profile.json", $WtProfile)  # UTF-8 without BOM
$Fragments = "$env:LOCALAPPDATA\Microsoft\Windows Terminal\Fragments\MotCuaCounter"
New-Item -ItemType Directory -Force -Path $Fragments | Out-Null
[IO.File]::WriteAllText("$Fragments\motcua-counter.json", $WtProfile)

$Shell = New-Object -ComObject WScript.Shell
$Shortcut = $Shell.CreateShortcut("$([Environment]::GetFolderPath('Desktop'))\Mot Cua Counter.lnk")
$Terminal = Get-Command wt.exe -ErrorAction SilentlyContinue
if ($Terminal) { $Shortcut.TargetPath = $Terminal.Source; $Shortcut.Arguments = "`"$Launcher`"" }
else { $Shortcut.TargetPath = $Launcher }
$Shortcut.WorkingDirectory = $Target
$Shortcut.Save()
Write-Host "Done. Start the counter with: $Launcher (or the desktop shortcut; Windows Terminal is recommended)."
