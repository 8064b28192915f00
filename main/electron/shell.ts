/** Native dialogs for HostConfig.pickPaths: the `shell.*` slice, real only in Electron. */
import { BrowserWindow, dialog, type OpenDialogOptions } from 'electron';

export async function pickPaths(kind: 'files' | 'folder' | 'saveFile', title?: string): Promise<string[]> {
  const win = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
  if (kind === 'saveFile') {
    const opts = { title: title ?? '保存 / Save', properties: ['createDirectory', 'showOverwriteConfirmation'] as ('createDirectory' | 'showOverwriteConfirmation')[] };
    const r = win ? await dialog.showSaveDialog(win, opts) : await dialog.showSaveDialog(opts);
    return r.canceled || !r.filePath ? [] : [r.filePath];
  }
  const opts: OpenDialogOptions = {
    title: title ?? (kind === 'folder' ? '选择文件夹 / Choose a folder' : '选择文件 / Choose files'),
    properties: kind === 'folder' ? ['openDirectory'] : ['openFile', 'multiSelections'],
  };
  const r = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
  return r.canceled ? [] : r.filePaths;
}
