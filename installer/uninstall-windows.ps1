# Remove Pointbreak and its login entry; with -Purge also its settings, history and logs.
param([switch]$Purge)
$venv = if ($env:POINTBREAK_VENV) { $env:POINTBREAK_VENV } else { "$env:LOCALAPPDATA\pointbreak-venv" }
$command = (Get-Command pointbreak -ErrorAction SilentlyContinue).Source
if (-not $command) { $command = "$venv\Scripts\pointbreak.exe" }
if (Test-Path $command) {
    & $command quit 2>$null
    & $command autostart off
}
if (Get-Command pipx -ErrorAction SilentlyContinue) { pipx uninstall pointbreak 2>$null }
Remove-Item -Recurse -Force -ErrorAction SilentlyContinue "$venv"
if ($Purge) {
    Remove-Item -Recurse -Force -ErrorAction SilentlyContinue "$env:LOCALAPPDATA\pointbreak"
}
Write-Output "Pointbreak is removed."
