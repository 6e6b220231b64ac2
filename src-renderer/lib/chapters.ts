/** A chapter's name as the window shows it: its title, or its number when it has none. */
export function chapterName(chapter: { title: string }, index: number): string {
  return chapter.title || `Chapter ${index + 1}`;
}
