# Install Pointbreak from this clone for the current user (pipx, or a venv) and turn start at
# login on (a value under HKCU\...\Run that starts the windowless pointbreak-tray.exe).
# Needs Python 3.11+ from python.org (it includes Tk). Run: powershell -File install-windows.ps1
$ErrorActionPreference = "Stop"
$here = Split-Path -Parent $PSScriptRoot
if (Get-Command pipx -ErrorAction SilentlyContinue) {
    pipx install --force "$here"
    $command = (Get-Command pointbreak).Source
} else {
    $venv = if ($env:POINTBREAK_VENV) { $env:POINTBREAK_VENV } else { "$env:LOCALAPPDATA\pointbreak-venv" }
    py -3 -m venv "$venv"
    & "$venv\Scripts\pip.exe" install --quiet --upgrade "$here"
    $command = "$venv\Scripts\pointbreak.exe"
}
& $command autostart on
Write-Output "Installed. Start it now with: `"$command`""
