package etextbook

// Book is one textbook of the catalog.
type Book struct {
	// ID is the book's identifier, as adopted_books and the custom
	// parameter book name it.
	ID string
	// Title is the book's title.
	Title string
	// Chapters are the book's chapters; chapter n is Chapters[n-1].
	Chapters []Chapter
}

// Chapter is one chapter of a book.
type Chapter struct {
	// Title is the chapter's title, without its number.
	Title string
	// Text is the chapter's text, one paragraph.
	Text string
}

// Question is one multiple-choice question of the weekly quiz.
type Question struct {
	// Name is the form field of the answer: q1, q2, …
	Name string
	// Text is the question.
	Text string
	// Choices are the possible answers, whose values are a, b and c.
	Choices []Choice
}

// Choice is one possible answer of a question.
type Choice struct {
	// Value is the radio input's value: a, b or c.
	Value string
	// Text is the answer as shown.
	Text string
}

// DefaultBook is the ID of the book a course opens when it has adopted
// none and the link names none.
const DefaultBook = "openbio"

// Catalog is the books the e-textbook offers, in the order the adoption
// page lists them. It is reference data: the application works on its own
// copy (see catalog), so changing this value changes nothing.
var Catalog = catalog()

// WeeklyQuiz is the four questions of the weekly assessment, in order.
// It is reference data, like Catalog.
var WeeklyQuiz = weeklyQuiz()

// QuizAnswers maps each question of WeeklyQuiz (q1 … q4) to the value of
// its correct choice. Pages never reveal it; a test uses it to answer
// right or wrong on purpose. It is reference data, like Catalog.
var QuizAnswers = quizAnswers()

// catalog returns a new copy of the catalog.
func catalog() []Book {
	return []Book{
		{
			ID:    "openbio",
			Title: "Open Biology",
			Chapters: []Chapter{
				{"The Study of Life", "Biology is the science that studies living things and their interactions with one another and with their environments. Living things share a set of properties: they are made of cells, they take in and use energy, they grow and develop, they respond to their surroundings, they reproduce, and their populations evolve over generations."},
				{"The Chemistry of Life", "Living matter is built from the same elements as the rest of the universe, chiefly carbon, hydrogen, oxygen and nitrogen. Water, with its polar molecules and hydrogen bonds, is the medium of life, and carbon's ability to form four bonds lets it build the large molecules of life: carbohydrates, lipids, proteins and nucleic acids."},
				{"Cell Structure", "The cell is the basic unit of life. Prokaryotic cells, such as bacteria, have no nucleus; eukaryotic cells keep most of their DNA in a membrane-bound nucleus and divide their work among organelles: mitochondria release energy from food, ribosomes build proteins, and the plasma membrane controls what enters and leaves."},
				{"Metabolism", "Metabolism is the sum of the chemical reactions in a cell. Enzymes speed these reactions up without being used up, and adenosine triphosphate (ATP) carries energy from the reactions that release it to the ones that need it. Cellular respiration breaks glucose down to make ATP, releasing carbon dioxide and water."},
				{"Photosynthesis", "Photosynthesis captures the energy of sunlight in the chemical bonds of sugar. In the chloroplasts of plants and algae, light-dependent reactions split water and release oxygen, and the Calvin cycle uses the energy captured to turn carbon dioxide into glucose, the food on which nearly every ecosystem depends."},
				{"Genetics and Inheritance", "Genes are stretches of DNA that carry the instructions for building proteins. A gene is transcribed into messenger RNA, which ribosomes translate into a chain of amino acids. Gregor Mendel's experiments with pea plants showed that traits are inherited as discrete units, one copy from each parent."},
			},
		},
		{
			ID:    "openchem",
			Title: "Open Chemistry",
			Chapters: []Chapter{
				{"Matter and Measurement", "Chemistry studies matter and the changes it undergoes. Matter has mass and takes up space; it is measured in SI units, and every measurement carries an uncertainty that significant figures record. Pure substances are elements or compounds, and mixtures can be separated by physical means."},
				{"Atoms and Molecules", "Atoms are made of protons and neutrons in a tiny nucleus surrounded by electrons. The number of protons, the atomic number, identifies the element. Atoms combine into molecules by sharing electrons, or into ionic compounds by transferring them, in fixed ratios that chemical formulas express."},
				{"Chemical Reactions", "A chemical reaction rearranges atoms into new substances. A balanced equation has the same number of atoms of each element on both sides, because mass is conserved. The mole, 6.022 × 10²³ particles, links the masses chemists weigh to the numbers of particles that react."},
				{"The Periodic Table", "The periodic table arranges the elements by atomic number so that elements with similar properties fall in the same column. Across a period, atoms become smaller and hold their electrons more tightly; down a group, they grow larger and, for metals, more reactive."},
			},
		},
		{
			ID:    "openphys",
			Title: "Open Physics",
			Chapters: []Chapter{
				{"Units and Measurement", "Physics describes nature with quantities that are measured in units. The SI system defines seven base units, among them the metre, the kilogram and the second, from which every other unit is derived. Estimates and orders of magnitude let a physicist check whether an answer is reasonable."},
				{"Motion in One Dimension", "Kinematics describes motion without asking what causes it. Displacement, velocity and acceleration are related: velocity is the rate of change of position, and acceleration the rate of change of velocity. Near the Earth's surface a falling object accelerates at about 9.8 metres per second squared."},
				{"Newton's Laws", "Newton's three laws explain how forces change motion. An object keeps its velocity unless a net force acts on it; the net force equals mass times acceleration; and every force has an equal and opposite partner acting on the other object. Together they explain everything from a rolling ball to the orbit of the Moon."},
				{"Work and Energy", "Work is done when a force moves an object. Energy is the capacity to do work; it takes many forms, kinetic, potential, thermal, and is conserved: it changes form but is never created or destroyed. Power is the rate at which work is done, measured in watts."},
			},
		},
	}
}

// weeklyQuiz returns a new copy of the weekly quiz.
func weeklyQuiz() []Question {
	return []Question{
		{"q1", "What is the basic unit of life?", []Choice{{"a", "The atom"}, {"b", "The cell"}, {"c", "The organ"}}},
		{"q2", "Where does a eukaryotic cell keep most of its DNA?", []Choice{{"a", "In the nucleus"}, {"b", "In the ribosomes"}, {"c", "In the plasma membrane"}}},
		{"q3", "What does photosynthesis produce from carbon dioxide and water?", []Choice{{"a", "Proteins"}, {"b", "Nitrogen"}, {"c", "Glucose and oxygen"}}},
		{"q4", "Which molecule carries a gene's instructions from the DNA to the ribosomes?", []Choice{{"a", "Messenger RNA"}, {"b", "ATP"}, {"c", "A lipid"}}},
	}
}

// quizAnswers returns a new copy of the quiz's answers.
func quizAnswers() map[string]string {
	return map[string]string{"q1": "b", "q2": "a", "q3": "c", "q4": "a"}
}

// findBook returns the book of id in books.
func findBook(books []Book, id string) (Book, bool) {
	for _, b := range books {
		if b.ID == id {
			return b, true
		}
	}
	return Book{}, false
}
