package graph

// The Biolink categories of the kinds: the domain's one table, read by the
// KGX reader and written by the exports.

// CategoryKinds maps Biolink categories to the entity kind they load as.
// A node with several categories takes the first that maps.
var CategoryKinds = map[string]Kind{
	"biolink:Cell":                       Cell,
	"biolink:CellLine":                   Cell,
	"biolink:ChemicalEntity":             Molecule,
	"biolink:SmallMolecule":              Molecule,
	"biolink:MolecularEntity":            Molecule,
	"biolink:ChemicalMixture":            Molecule,
	"biolink:Drug":                       Therapy,
	"biolink:Treatment":                  Therapy,
	"biolink:Procedure":                  Therapy,
	"biolink:Gene":                       GeneProduct,
	"biolink:Protein":                    GeneProduct,
	"biolink:GeneProduct":                GeneProduct,
	"biolink:GeneProductMixin":           GeneProduct,
	"biolink:BiologicalProcess":          Process,
	"biolink:Pathway":                    Process,
	"biolink:PhysiologicalProcess":       Process,
	"biolink:MolecularActivity":          Process,
	"biolink:AnatomicalEntity":           Anatomy,
	"biolink:GrossAnatomicalStructure":   Anatomy,
	"biolink:CellularComponent":          Anatomy,
	"biolink:Disease":                    Condition,
	"biolink:PhenotypicFeature":          Condition,
	"biolink:DiseaseOrPhenotypicFeature": Condition,
}

// KindCategories is the Biolink category an export gives each kind
// (Biolink has no Hormone class: hormones are chemical entities).
var KindCategories = map[Kind]string{
	Hormone:     "biolink:ChemicalEntity",
	Cell:        "biolink:Cell",
	Process:     "biolink:BiologicalProcess",
	Therapy:     "biolink:Treatment",
	GeneProduct: "biolink:GeneOrGeneProduct",
	Molecule:    "biolink:ChemicalEntity",
	Anatomy:     "biolink:AnatomicalEntity",
	Condition:   "biolink:DiseaseOrPhenotypicFeature",
}
