package demo

import "github.com/linklab/linklab/labs"

// demoLab is one demo lab with the baseline text it starts with, keyed by
// template section. The text summarises, in our own words, what the LINK
// baseline reports for the country.
type demoLab struct {
	lab      labs.Lab
	baseline map[string]string
}

var demoLabs = []demoLab{
	{
		lab: labs.Lab{Slug: "norway", Country: "NO", Title: "Norway: families with multiple challenges",
			TargetGroup: labs.TargetFamilies, Languages: []string{"no", "en"},
			Description: "Families, frontline workers, managers and policymakers redesign support for families who meet many services at once."},
		baseline: map[string]string{
			"welfare-model": "Norway has a **social-democratic** welfare model: services are universal, " +
				"meant for everyone who lives here, not only for those who can prove they are poor.",
			"social-services": "The state sets the rules for social welfare. The country is divided into five regions, " +
				"and the municipalities deliver most of the services families meet.",
			"welfare-challenges": "- Separate welfare systems do not work well together.\n" +
				"- Those who need services are unevenly spread, and resources do not follow them.\n" +
				"- Staff need more opportunities to build their skills.",
			"main-challenges": "Families tell us they are seldom asked. **User involvement** is weak, and social workers " +
				"describe heavy workloads, too little time to assess and follow up, and contact that breaks off too early.",
			"innovation-examples": "The *Life-Frogner* project put a team from several services around each family, " +
				"with the family as a full member of the team.",
		},
	},
	{
		lab: labs.Lab{Slug: "serbia", Country: "RS", Title: "Serbia: families with multiple challenges",
			TargetGroup: labs.TargetFamilies, Languages: []string{"sr", "en"},
			Description: "A lab on support for vulnerable families, with particular attention to Roma families."},
		baseline: map[string]string{
			"welfare-model": "Serbia has a **hybrid** welfare model whose main features are those of the conservative model.",
			"social-services": "Social services are financed at national, regional and local level, " +
				"which makes it hard to see who is responsible for what.",
			"welfare-challenges": "Health, social protection, education and the justice system each follow their own law, " +
				"and linking them is a challenge of its own. There are too few staff in several areas.",
			"digital-readiness": "The pandemic moved most social-welfare organisations online almost overnight; " +
				"many professionals got their own computers only then.",
			"why-innovation": "Roma families often do not get what the existing services offer, because of barriers of " +
				"culture, language and law. New ways of working have to start from the families' own situation.",
		},
	},
	{
		lab: labs.Lab{Slug: "slovenia", Country: "SI", Title: "Slovenia: families with multiple challenges",
			TargetGroup: labs.TargetFamilies, Languages: []string{"sl", "en"},
			Description: "A lab on support for families with multiple problems, aiming at change in the system, not only in single cases."},
		baseline: map[string]string{
			"welfare-model": "Slovenia combines features of the **conservative** and the **social-democratic** models.",
			"social-services": "Social assistance gives money and other support to people who cannot provide for their own " +
				"well-being. It is regulated nationally and delivered mostly by the public sector, with many other actors around it.",
			"social-work-education": "Social work is a four-year bachelor's degree, and master's programmes are offered as well.",
			"digital-readiness": "During the pandemic it became clear that local services lacked computers and tools for " +
				"online meetings; much of that equipment arrived only then.",
			"innovation-examples": "An educational programme for mothers and children strengthens parenting skills, " +
				"and some social work centres now meet clients in informal settings instead of the office.",
		},
	},
	{
		lab: labs.Lab{Slug: "latvia", Country: "LV", Title: "Latvia: youths in vulnerable positions",
			TargetGroup: labs.TargetYouths, Languages: []string{"lv", "en"},
			Description: "Young people, youth workers and decision-makers look for better support for youths in vulnerable positions."},
		baseline: map[string]string{
			"welfare-model": "Latvia's welfare system does not follow any one of the typical models.",
			"current-services": "Services for this target group were recognised only recently, " +
				"and a lot has been built in the last few years.",
			"welfare-challenges": "There are too few professionals in several fields, which means a heavy workload for " +
				"those who stay. Collaboration between parts of the welfare system is weak.",
			"innovation-examples": "Social work centres have started meeting young people in informal, " +
				"everyday places rather than only in formal appointments.",
		},
	},
	{
		lab: labs.Lab{Slug: "spain", Country: "ES", Title: "Spain: youths in vulnerable positions",
			TargetGroup: labs.TargetYouths, Languages: []string{"es", "en"},
			Description: "A lab on the mental health of adolescents and on reaching them, and their families, earlier."},
		baseline: map[string]string{
			"social-services": "Spain has 17 regional governments, each with its own social-services law and its own " +
				"catalogue of benefits. Services are split into primary and specialised care.",
			"welfare-challenges": "Professionals within the same region do not share one information system, " +
				"which makes communication slow and raises questions of confidentiality.",
			"living-conditions": "Reports on youth mental health show clear **gender differences**.",
			"why-innovation": "The lab wants to detect problems earlier and intervene sooner, to protect the mental health " +
				"of adolescents, and to build relationships with young people and their families at home.",
		},
	},
	{
		lab: labs.Lab{Slug: "sweden", Country: "SE", Title: "Sweden: the elderly",
			TargetGroup: labs.TargetElderly, Languages: []string{"sv", "en"},
			Description: "Older people, care staff and municipalities work on social support in elderly care."},
		baseline: map[string]string{
			"welfare-model": "Sweden has a **social-democratic** model with universal services; social insurance covers " +
				"almost everyone who lives and works in the country.",
			"social-services": "Welfare is regulated by the state and organised in 21 regions, " +
				"with 290 municipalities providing social welfare.",
			"staff-education": "Assistant nurses are the largest staff group in elderly care; the formal requirement is " +
				"an upper-secondary diploma. Social workers study for three and a half years.",
			"digital-readiness":   "Readiness is high: care staff use digital tools and digital records in their daily work.",
			"innovation-examples": "*Ung Omsorg* brings young people into elderly care to improve older people's well-being.",
		},
	},
}
